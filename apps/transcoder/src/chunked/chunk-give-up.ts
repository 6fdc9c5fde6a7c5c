import { Logger } from '@nestjs/common';
import { Topics, parseLaneTopic } from '@tf/contracts';
import type { GiveUpSettlement, GivenUpMessage } from '@tf/messaging';
import type { EntityManager } from 'typeorm';
import { partGivenUp } from './chunk-fan-in';
import { countChunkRuns } from './chunk-metrics';
import { ChunkRunsRepository } from './chunk-runs.repository';

const logger = new Logger('ChunkGiveUp');

/**
 * The transcoder's `settleGiveUp` (libs/stage): when the transport gives up on a part of a split transcode (a video
 * chunk, the audio or the assembly, out of its attempts and durable retries, or failed for good), the run is failed
 * under its row lock in the give-up's own transaction, and only the first part of a live run lets its JobFailed go
 * out: the job fails once, and a late part of a run that already failed or that a retry superseded fails nothing.
 * Other messages (a VideoValidated; a part that could not be decoded) keep the stage's JobFailed as it is.
 */
export async function settleChunkGiveUp(tx: EntityManager, message: GivenUpMessage): Promise<GiveUpSettlement> {
  if (parseLaneTopic(message.topic).base !== Topics.TranscodeChunkRequested) return { emit: true };
  const runId = (message.event as { run_id?: unknown } | undefined)?.run_id;
  if (typeof runId !== 'string') return { emit: true };
  // The statements run in the transaction handed in; the repository's own connection is not used.
  const runs = new ChunkRunsRepository(tx.connection);
  const run = await runs.lock(tx, runId);
  const decision = partGivenUp(run?.state ?? null);
  if (decision.failRun) await runs.setState(tx, runId, 'failed');
  if (!decision.failJob) {
    logger.log(
      `${String(message.event?.job_id)}: part of run ${runId} given up on; the run was ${run?.state}: job not failed again`,
    );
    return { emit: false };
  }
  return { emit: true, committed: decision.failRun ? () => countChunkRuns('failed') : undefined };
}
