import { normalizeWords, sumWordErrors, wordErrorRate, wordErrors } from './wer';

describe('wordErrorRate', () => {
  it('normalizes case and punctuation', () => {
    expect(normalizeWords("Hello, World! It's a well-known fact.")).toEqual([
      'hello',
      'world',
      'its',
      'a',
      'well',
      'known',
      'fact',
    ]);
    expect(wordErrorRate('The quick brown fox.', 'the QUICK, brown fox')).toBe(0);
  });

  it('counts substitutions, deletions and insertions', () => {
    expect(wordErrors('a b c d', 'a x c d')).toMatchObject({
      substitutions: 1,
      deletions: 0,
      insertions: 0,
      wer: 0.25,
    });
    expect(wordErrors('a b c d', 'a c d')).toMatchObject({ substitutions: 0, deletions: 1, insertions: 0, wer: 0.25 });
    expect(wordErrors('a b c d', 'a b y c d')).toMatchObject({
      substitutions: 0,
      deletions: 0,
      insertions: 1,
      wer: 0.25,
    });
    expect(
      wordErrorRate('the quick brown fox jumps over the lazy dog', 'the quick round fox jump so that the lazy dog'),
    ).toBeCloseTo(4 / 9);
  });

  it('handles empty texts and can exceed 1', () => {
    expect(wordErrorRate('', '')).toBe(0);
    expect(wordErrorRate('', 'hallucination')).toBe(1);
    expect(wordErrorRate('hello', '')).toBe(1);
    expect(wordErrorRate('hi', 'oh hi there you')).toBe(3);
  });

  it('keeps non-ASCII letters', () => {
    expect(normalizeWords('Schöne Grüße, ça va?')).toEqual(['schöne', 'grüße', 'ça', 'va']);
  });
});

describe('sumWordErrors', () => {
  it('adds the counts and divides all errors by all reference words (a long clip weighs more)', () => {
    const short = wordErrors('a b', 'x y'); // 100 %
    const long = wordErrors('a b c d e f g h', 'a b c d e f g h'); // 0 %
    expect(sumWordErrors([short, long])).toEqual({
      substitutions: 2,
      deletions: 0,
      insertions: 0,
      referenceWords: 10,
      wer: 0.2,
    });
  });

  it('is 0 for nothing, and 1 for words heard where none were said', () => {
    expect(sumWordErrors([]).wer).toBe(0);
    expect(sumWordErrors([wordErrors('', 'ghost')]).wer).toBe(1);
  });
});
