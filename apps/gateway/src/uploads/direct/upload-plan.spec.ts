import { ApiError } from '../../http/api-error';
import { MAX_PARTS, MIN_PART_BYTES, checkParts, modeFor, partSizeFor, planParts } from './upload-plan';

const MIB = 1024 * 1024;
const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return (e as ApiError).code;
  }
  throw new Error('expected an ApiError');
};

describe('upload plan', () => {
  it('uses one PUT up to the part size, parts above', () => {
    expect(modeFor(1)).toBe('single');
    expect(modeFor(MIN_PART_BYTES)).toBe('single');
    expect(modeFor(MIN_PART_BYTES + 1)).toBe('multipart');
  });

  it('plans 16 MiB parts with a shorter last one, covering every byte once', () => {
    const bytes = 300_000_000;
    const parts = planParts(bytes, partSizeFor(bytes));
    expect(parts).toHaveLength(18);
    expect(parts[0]).toEqual({ part_number: 1, offset: 0, bytes: 16 * MIB });
    expect(parts[17]).toEqual({ part_number: 18, offset: 17 * 16 * MIB, bytes: bytes - 17 * 16 * MIB });
    expect(parts.reduce((sum, p) => sum + p.bytes, 0)).toBe(bytes);
    expect(planParts(32 * MIB, 16 * MIB).map((p) => p.bytes)).toEqual([16 * MIB, 16 * MIB]);
  });

  it('grows the part size so a file never needs more than 10 000 parts', () => {
    expect(partSizeFor(10 * 1024 * MIB)).toBe(16 * MIB);
    const huge = 400 * 1024 * MIB;
    expect(partSizeFor(huge)).toBe(64 * MIB);
    expect(Math.ceil(huge / partSizeFor(huge))).toBeLessThanOrEqual(MAX_PARTS);
  });
});

describe('checkParts', () => {
  const planned = planParts(40 * MIB, 16 * MIB); // 16 + 16 + 8
  const uploaded = [
    { part_number: 1, etag: 'aaa', bytes: 16 * MIB },
    { part_number: 2, etag: 'bbb', bytes: 16 * MIB },
    { part_number: 3, etag: 'ccc', bytes: 8 * MIB },
  ];
  const named = [
    { part_number: 3, etag: '"ccc"' },
    { part_number: 1, etag: 'AAA' },
    { part_number: 2, etag: 'bbb' },
  ];

  it('accepts every part with its ETag (quotes and case do not matter) and answers them in order', () => {
    expect(checkParts(planned, named, uploaded)).toEqual([
      { part_number: 1, etag: 'aaa' },
      { part_number: 2, etag: 'bbb' },
      { part_number: 3, etag: 'ccc' },
    ]);
  });

  it('refuses malformed lists with INVALID_PARTS', () => {
    expect(codeOf(() => checkParts(planned, undefined, uploaded))).toBe('INVALID_PARTS');
    expect(codeOf(() => checkParts(planned, [], uploaded))).toBe('INVALID_PARTS');
    expect(codeOf(() => checkParts(planned, [...named, { part_number: 4, etag: 'x' }], uploaded))).toBe(
      'INVALID_PARTS',
    );
    expect(codeOf(() => checkParts(planned, [...named, { part_number: 1, etag: 'aaa' }], uploaded))).toBe(
      'INVALID_PARTS',
    );
    expect(codeOf(() => checkParts(planned, named.slice(1), uploaded))).toBe('INVALID_PARTS');
    expect(codeOf(() => checkParts(planned, [{ part_number: '1', etag: 'aaa' }], uploaded))).toBe('INVALID_PARTS');
    expect(codeOf(() => checkParts(planned, [{ part_number: 1 }, ...named.slice(0, 2)], uploaded))).toBe(
      'INVALID_PARTS',
    );
  });

  it('answers 409 PARTS_MISSING for parts S3 does not hold yet', () => {
    try {
      checkParts(
        planned,
        named,
        uploaded.filter((p) => p.part_number !== 2),
      );
      throw new Error('expected PARTS_MISSING');
    } catch (e) {
      expect((e as ApiError).code).toBe('PARTS_MISSING');
      expect((e as ApiError).getStatus()).toBe(409);
      expect((e as ApiError).message).toContain('2');
    }
  });

  it('refuses a stale ETag and a part of the wrong size', () => {
    expect(
      codeOf(() =>
        checkParts(
          planned,
          named,
          uploaded.map((p) => (p.part_number === 2 ? { ...p, etag: 'new' } : p)),
        ),
      ),
    ).toBe('ETAG_MISMATCH');
    expect(
      codeOf(() =>
        checkParts(
          planned,
          named,
          uploaded.map((p) => (p.part_number === 3 ? { ...p, bytes: 5 } : p)),
        ),
      ),
    ).toBe('SIZE_MISMATCH');
  });
});
