/**
 * Where a split transcode stands: its parts are encoding, the assembly was requested, it is done, it failed (a part
 * or the assembly was given up on: its job failed, the other parts are not worth encoding), or a later transcode of
 * the same job (a retried job, split again or in one pass) superseded it.
 */
export type ChunkRunState = 'encoding' | 'assembling' | 'done' | 'failed' | 'superseded';

/** The states in which a run still works towards its job's renditions. */
export const LIVE_RUN_STATES: readonly ChunkRunState[] = ['encoding', 'assembling'];

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

/**
 * Whether a part's message is still worth its work (ChunkRunsRepository.state): an encode only while its run is
 * encoding, the assembly only while it is requested; never for a run that failed, is done, or that a retry of the
 * job superseded (the parts of a failed or abandoned run still queued, a replayed dead letter of an old run).
 * Otherwise the message is acknowledged untouched.
 */
export function partWanted(part: 'video' | 'audio' | 'assemble' | string, state: ChunkRunState | null): boolean {
  return state === (part === 'assemble' ? 'assembling' : 'encoding');
}

/** What a part (or the assembly) given up on by the transport does to its run and its job. */
export interface PartGivenUpDecision {
  /** Mark the run failed: its parts still queued or encoding are skipped, its assembly refused. */
  failRun: boolean;
  /** Emit the job's JobFailed (the first part of a live run to be given up on; never for a run already settled). */
  failJob: boolean;
}

/**
 * A part given up on (out of its attempts, durable retries included, or failed for good): the first one of a live run
 * fails the run and the job, under the run's row lock, so the job fails once however many parts fail after it; a part
 * of a run that already failed, finished, or was superseded by a retry of the job fails nothing (the job's newer
 * attempt must not fail for an old run). A run unknown here (never recorded) cannot be marked: the job still fails,
 * rather than wait for a run that does not exist.
 */
export function partGivenUp(state: ChunkRunState | null): PartGivenUpDecision {
  if (state === null) return { failRun: false, failJob: true };
  const live = LIVE_RUN_STATES.includes(state);
  return { failRun: live, failJob: live };
}

/** A part's name in the fan-in: `video:0003` for chunk 3, `audio` for the whole file's audio. */
export const videoPartName = (index: number): string => `video:${String(index).padStart(4, '0')}`;
export const AUDIO_PART = 'audio';
