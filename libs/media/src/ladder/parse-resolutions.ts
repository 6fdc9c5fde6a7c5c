import { UnknownResolutionError } from '../errors';
import { KNOWN_LABELS, LADDER, rungByLabel } from './ladder-rungs';

/**
 * Turns the client's "360p,720p" (or ["360p", "720p"]) into ladder labels,
 * deduplicated and sorted from small to large. Case and spaces are forgiven;
 * anything not in the ladder throws UnknownResolutionError (code
 * UNKNOWN_RESOLUTION). An empty input gives an empty list; the caller decides
 * what "nothing asked" means.
 */
export function parseResolutions(input: string | readonly string[]): string[] {
  const parts = (typeof input === 'string' ? input.split(',') : input)
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean);
  for (const label of parts) {
    if (!rungByLabel(label)) throw new UnknownResolutionError(label, KNOWN_LABELS);
  }
  const wanted = new Set(parts);
  return LADDER.filter((r) => wanted.has(r.label)).map((r) => r.label);
}
