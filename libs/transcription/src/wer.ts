/** Lowercases, turns hyphens/dashes into spaces, strips other punctuation and splits into words. */
export function normalizeWords(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2010-\u2015-]/g, ' ')
    .replace(/[^\p{L}\p{N}\s]/gu, '')
    .split(/\s+/)
    .filter(Boolean);
}

export interface WordErrors {
  substitutions: number;
  deletions: number;
  insertions: number;
  /** Words in the normalized reference. */
  referenceWords: number;
  /** (S + D + I) / N; 0 for two empty texts, 1 for an empty reference with a non-empty hypothesis. */
  wer: number;
}

/** Word-level Levenshtein alignment of hypothesis against reference. */
export function wordErrors(reference: string, hypothesis: string): WordErrors {
  const ref = normalizeWords(reference);
  const hyp = normalizeWords(hypothesis);
  // dp[j] = [cost, S, D, I] aligning ref[0..i) with hyp[0..j)
  type Cell = [number, number, number, number];
  let prev: Cell[] = Array.from({ length: hyp.length + 1 }, (_, j): Cell => [j, 0, 0, j]);
  for (let i = 1; i <= ref.length; i++) {
    const cur: Cell[] = [[i, 0, i, 0]];
    for (let j = 1; j <= hyp.length; j++) {
      const same = ref[i - 1] === hyp[j - 1];
      const diag = prev[j - 1];
      const up = prev[j]; // deletion of ref[i-1]
      const left = cur[j - 1]; // insertion of hyp[j-1]
      let best: Cell = same ? [diag[0], diag[1], diag[2], diag[3]] : [diag[0] + 1, diag[1] + 1, diag[2], diag[3]];
      if (up[0] + 1 < best[0]) best = [up[0] + 1, up[1], up[2] + 1, up[3]];
      if (left[0] + 1 < best[0]) best = [left[0] + 1, left[1], left[2], left[3] + 1];
      cur.push(best);
    }
    prev = cur;
  }
  const [cost, substitutions, deletions, insertions] = prev[hyp.length];
  const wer = ref.length === 0 ? (hyp.length === 0 ? 0 : 1) : cost / ref.length;
  return { substitutions, deletions, insertions, referenceWords: ref.length, wer };
}

/** Word error rate of hypothesis against reference (lowercased, punctuation stripped). */
export function wordErrorRate(reference: string, hypothesis: string): number {
  return wordErrors(reference, hypothesis).wer;
}

/**
 * The errors of several transcripts taken together (a corpus WER): the counts added up, WER = all errors over all
 * reference words. Unlike the mean of per-clip WERs, a 6-word clip does not weigh as much as a 160-word read.
 */
export function sumWordErrors(list: readonly WordErrors[]): WordErrors {
  const sum = (key: keyof WordErrors): number => list.reduce((n, e) => n + e[key], 0);
  const substitutions = sum('substitutions');
  const deletions = sum('deletions');
  const insertions = sum('insertions');
  const referenceWords = sum('referenceWords');
  const errors = substitutions + deletions + insertions;
  const wer = referenceWords === 0 ? (errors === 0 ? 0 : 1) : errors / referenceWords;
  return { substitutions, deletions, insertions, referenceWords, wer };
}
