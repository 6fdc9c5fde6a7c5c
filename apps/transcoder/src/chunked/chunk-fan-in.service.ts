import { Injectable, Logger } from '@nestjs/common';
import type { RenditionsReady, TranscodeChunkRequested } from '@tf/contracts';
import type { OutboxWriter } from '@tf/messaging';
import type { EntityManager } from 'typeorm';
import { assemblyApplies, partFinished } from './chunk-fan-in';
import { chunkRequest, chunkRequestKey } from './chunk-requests';
import { ChunkRunsRepository, type PartResult } from './chunk-runs.repository';

/**
 * The fan-in's state changes, each in the transaction that consumes a part's message (so exactly once,
 * like the gateway's tracker), under the run's row lock: a finished part is recorded and the last one
 * requests the assembly (one more message on the chunk topic); the assembly's result is the job's one
 * RenditionsReady.
 */
@Injectable()
export class ChunkFanIn {
  private readonly logger = new Logger(ChunkFanIn.name);

  constructor(private readonly runs: ChunkRunsRepository) {}

  async partFinished(
    tx: EntityManager,
    outbox: OutboxWriter,
    request: TranscodeChunkRequested,
    part: string,
    result: PartResult,
  ): Promise<void> {
    const run = await this.runs.lock(tx, request.run_id);
    if (!run) {
      this.logger.warn(`${request.job_id}: part ${part} of unknown run ${request.run_id} ignored`);
      return;
    }
    const decision = partFinished(run, part);
    if (!decision.record) return;
    await this.runs.finishPart(tx, run.run_id, part, result);
    if (!decision.requestAssembly) return;
    await this.runs.setState(tx, run.run_id, 'assembling');
    const assemble = chunkRequest(run.validated, run.attempt, run.chunk_count, 'assemble');
    await outbox.append(tx, 'TranscodeChunkRequested', assemble, undefined, chunkRequestKey(assemble));
  }

  /** Whether the assembly was applied (false: a run already done, or one never split). */
  async assembled(tx: EntityManager, outbox: OutboxWriter, request: TranscodeChunkRequested, ready: RenditionsReady) {
    const run = await this.runs.lock(tx, request.run_id);
    if (!assemblyApplies(run?.state ?? null)) return false;
    await this.runs.setState(tx, request.run_id, 'done');
    await outbox.append(tx, 'RenditionsReady', ready);
    return true;
  }
}
