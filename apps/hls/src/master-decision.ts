import type { Packaging } from './packaging.entity';

export type PackagingTrigger = 'renditions' | 'transcript';

export type MasterDecision =
  /** Nothing to write or announce. */
  | { action: 'none'; reason: 'awaiting-renditions' | 'already-subtitled' }
  /** (Re)write the master, with or without the SUBTITLES group, and emit VideoPackaged(has_subtitles). */
  | { action: 'write-master'; withSubtitles: boolean };

/**
 * What to do with the master playlist, decided on the locked packaging row (`row` already carries
 * what the triggering event brought in):
 * - renditions packaged: always write the master; with SUBTITLES exactly when a transcript is known.
 * - transcript known: before packaging, nothing (packaging will pick it up from the row); after a
 *   packaging without subtitles, rewrite the master with them; if they are already in, nothing.
 */
export function decideMaster(
  trigger: PackagingTrigger,
  row: Pick<Packaging, 'master_key' | 'subtitles' | 'has_subtitles'>,
): MasterDecision {
  if (trigger === 'renditions') return { action: 'write-master', withSubtitles: row.subtitles !== null };
  if (row.master_key === null) return { action: 'none', reason: 'awaiting-renditions' };
  if (row.has_subtitles) return { action: 'none', reason: 'already-subtitled' };
  return { action: 'write-master', withSubtitles: true };
}
