import { AnswerSequence } from './answer-sequence';

describe('AnswerSequence', () => {
  it("applies only the newest read's answer: a slow answer for old filters is stale", () => {
    const seq = new AnswerSequence();
    const oldFilters = seq.replace();
    const newFilters = seq.replace();
    expect(seq.isCurrent(oldFilters)).toBe(false);
    expect(seq.isCurrent(newFilters)).toBe(true);
  });

  it('drops a Load more page once the list was replaced (new filters) while it was read', () => {
    const seq = new AnswerSequence();
    seq.replace();
    const more = seq.extend();
    expect(seq.isCurrent(more)).toBe(true);
    seq.replace();
    expect(seq.isCurrent(more)).toBe(false);
  });

  it('remembers a live change that arrived during a read, so the page re-reads after applying it', () => {
    const seq = new AnswerSequence();
    const quiet = seq.replace();
    expect(seq.changed(quiet)).toBe(false);
    const busy = seq.replace();
    seq.noteChange();
    expect(seq.changed(busy)).toBe(true);
    expect(seq.changed(seq.replace())).toBe(false);
  });
});
