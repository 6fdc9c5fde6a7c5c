import { Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { JobsRepository } from '../jobs/jobs.repository';
import { PipelineStatusService } from '../pipeline-ops';
import { PipelineStatusDto } from './dto/pipeline-status.dto';
import { DEFAULT_THROUGHPUT_WINDOW_S, RECENT_FAILURES_PER_STAGE, pipelineOverview } from './pipeline-overview';

const HOUR_MS = 3_600_000;

/**
 * `tflow ops status`: the consumer groups read twice, `windowS` apart (the committed offsets' growth is
 * the throughput), and the last hour's stage outcomes and newest failures from the job table.
 */
@Injectable()
export class PipelineOverviewService {
  constructor(
    private readonly pipeline: PipelineStatusService,
    private readonly jobs: JobsRepository,
  ) {}

  async status(windowS = DEFAULT_THROUGHPUT_WINDOW_S): Promise<PipelineStatusDto> {
    const earlier = windowS > 0 ? await this.pipeline.snapshot() : null;
    if (earlier) await sleep(windowS * 1000);
    const now = await this.pipeline.snapshot();
    const since = new Date(now.readAt.getTime() - HOUR_MS);
    const [lastHour, failures] = await Promise.all([
      this.jobs.stageOutcomesSince(since),
      this.jobs.recentStageFailures(since, RECENT_FAILURES_PER_STAGE),
    ]);
    return pipelineOverview(earlier, now, lastHour, failures);
  }
}
