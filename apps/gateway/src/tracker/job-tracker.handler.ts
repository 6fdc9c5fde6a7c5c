import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  JobCancelled,
  JobFailed,
  JobProgress,
  RenditionsReady,
  Topics,
  TranscriptReady,
  VideoPackaged,
  VideoValidated,
} from '@tf/contracts';
import { KafkaAvroContext } from '@tf/messaging';
import { jobMetrics } from '../jobs/job-metrics';
import { TrackerOutcome } from './apply-tracker-event';
import { CancelledJobOutputs } from './cancelled-job-outputs';
import { JobTrackerService } from './job-tracker.service';
import { TrackerEvent } from './tracker-event';

/** The job tracker's Kafka handlers (group tf-gateway-jobs): each event applies once, under the job's row lock. */
@Controller()
export class JobTrackerHandler {
  constructor(
    private readonly tracker: JobTrackerService,
    private readonly cancelledOutputs: CancelledJobOutputs,
  ) {}

  /** Applies the event once; the job metrics count what committed (a rolled-back or duplicate delivery counts nothing). */
  private async track(ctx: KafkaAvroContext, input: TrackerEvent): Promise<void> {
    let outcome: TrackerOutcome | null = null;
    const applied = await ctx.processOnce(async (tx, outbox) => {
      outcome = await this.tracker.apply(tx, outbox, input);
    });
    if (!applied || !outcome) return;
    const { finished, queueWaitSeconds } = outcome as TrackerOutcome;
    if (finished) jobMetrics.finished(finished);
    if (queueWaitSeconds != null) jobMetrics.queueWait(queueWaitSeconds);
  }

  @EventPattern(Topics.VideoValidated)
  async onVideoValidated(@Payload() event: VideoValidated, @Ctx() ctx: KafkaAvroContext): Promise<void> {
    await this.track(ctx, { type: 'VideoValidated', event });
  }

  @EventPattern(Topics.RenditionsReady)
  async onRenditionsReady(@Payload() event: RenditionsReady, @Ctx() ctx: KafkaAvroContext): Promise<void> {
    await this.track(ctx, { type: 'RenditionsReady', event });
  }

  @EventPattern(Topics.VideoPackaged)
  async onVideoPackaged(@Payload() event: VideoPackaged, @Ctx() ctx: KafkaAvroContext): Promise<void> {
    await this.track(ctx, { type: 'VideoPackaged', event });
  }

  @EventPattern(Topics.TranscriptReady)
  async onTranscriptReady(@Payload() event: TranscriptReady, @Ctx() ctx: KafkaAvroContext): Promise<void> {
    await this.track(ctx, { type: 'TranscriptReady', event });
  }

  @EventPattern(Topics.JobFailed)
  async onJobFailed(@Payload() event: JobFailed, @Ctx() ctx: KafkaAvroContext): Promise<void> {
    await this.track(ctx, { type: 'JobFailed', event });
  }

  /** The job's state already changed with the cancel (src/control); here its finished outputs are swept, once. */
  @EventPattern(Topics.JobCancelled)
  async onJobCancelled(@Payload() event: JobCancelled, @Ctx() ctx: KafkaAvroContext): Promise<void> {
    if (await ctx.alreadyProcessed()) return;
    await this.cancelledOutputs.remove(event.job_id);
    await ctx.processOnce(async () => undefined);
  }

  @EventPattern(Topics.JobProgress)
  async onJobProgress(@Payload() event: JobProgress, @Ctx() ctx: KafkaAvroContext): Promise<void> {
    await this.track(ctx, { type: 'JobProgress', event });
  }
}
