import { ApiError } from './api-error';

/** Edit distance (insertions, deletions, substitutions) between two short names. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

/** The known name a typo most likely meant (at most 3 edits away), if any. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate);
    if (distance <= 3 && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

/**
 * 400 UNKNOWN_FIELD for the first name that is not a field of the request: a typo such as
 * `target_resolution` must not silently fall back to the default.
 */
export function assertKnownFields(names: Iterable<string>, known: readonly string[]): void {
  for (const name of names) {
    if (known.includes(name)) continue;
    const hint = closestName(name, known);
    const shown = JSON.stringify(name.length > 100 ? `${name.slice(0, 100)}…` : name);
    throw ApiError.badRequest(
      'UNKNOWN_FIELD',
      `Unknown field ${shown}${hint ? ` (did you mean "${hint}"?)` : ''}; the fields are ${known.join(', ')}`,
    );
  }
}
