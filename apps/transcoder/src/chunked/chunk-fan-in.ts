/**
 * Where a split transcode stands: its parts are encoding, the assembly was requested, it is done, or it failed
 * (a part was given up on at once: its job failed, the other parts are not worth encoding).
 */
export type ChunkRunState = 'encoding' | 'assembling' | 'done' | 'failed';

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

/** What a part's work asks of its run before it starts (ChunkRunsRepository.standing). */
export interface ChunkRunStanding {
  state: ChunkRunState;
  /** A later run of the same job exists (the job was retried): this one's outputs must not overwrite it. */
  superseded: boolean;
}

/**
 * Whether a part's message is still worth its work: an encode only while its run is encoding, the assembly only
 * while it is requested, and neither for a run a retry of the job superseded (the parts of a failed or abandoned
 * run still queued, a replayed dead letter of an old run). Otherwise the message is acknowledged untouched.
 */
export function partWanted(part: 'video' | 'audio' | 'assemble' | string, run: ChunkRunStanding | null): boolean {
  if (!run || run.superseded) return false;
  return run.state === (part === 'assemble' ? 'assembling' : 'encoding');
}

/** A part's name in the fan-in: `video:0003` for chunk 3, `audio` for the whole file's audio. */
export const videoPartName = (index: number): string => `video:${String(index).padStart(4, '0')}`;
export const AUDIO_PART = 'audio';
