/** Where a split transcode stands: its parts are encoding, the assembly was requested, or it is done. */
export type ChunkRunState = 'encoding' | 'assembling' | 'done';

/** A run as its fan-in sees it, read under the run's row lock. */
export interface ChunkRunView {
  state: ChunkRunState;
  /** Parts not finished yet ("video:0003", "audio"). */
  pendingParts: readonly string[];
}

export interface PartFinishedDecision {
  /** Record the part as finished (false: a part already finished, or a run no longer encoding). */
  record: boolean;
  /** This part was the last one: request the assembly (and the run moves to `assembling`). */
  requestAssembly: boolean;
}

/**
 * The fan-in's one decision, like the gateway's applyTrackerEvent: pure, applied in the transaction that
 * consumes the part's message, under the run's row lock. Exactly one part (the last to commit) requests
 * the assembly; a redelivered or late part changes nothing.
 */
export function partFinished(run: ChunkRunView, part: string): PartFinishedDecision {
  if (run.state !== 'encoding' || !run.pendingParts.includes(part)) return { record: false, requestAssembly: false };
  return { record: true, requestAssembly: run.pendingParts.length === 1 };
}

/** The assembly is applied once: only a run whose assembly was requested and not yet done. */
export const assemblyApplies = (state: ChunkRunState | null): boolean => state === 'assembling';

/** A part's name in the fan-in: `video:0003` for chunk 3, `audio` for the whole file's audio. */
export const videoPartName = (index: number): string => `video:${String(index).padStart(4, '0')}`;
export const AUDIO_PART = 'audio';
