import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { JobCancelled, Topics, VideoValidated } from '@tf/contracts';
import { JobCancellations, KafkaAvroContext } from '@tf/messaging';
import { TRANSCODE_STAGE } from './job-progress.publisher';
import { OutputStore } from './output-store';
import { TranscodeService } from './transcode.service';

@Controller()
export class ValidatedVideoHandler {
  private readonly logger = new Logger(ValidatedVideoHandler.name);

  constructor(
    private readonly transcoder: TranscodeService,
    private readonly cancellations: JobCancellations,
    private readonly outputs: OutputStore,
  ) {}

  @EventPattern(Topics.VideoValidated)
  async onVideoValidated(@Payload() event: VideoValidated, @Ctx() ctx: KafkaAvroContext): Promise<void> {
    // A retry of another stage (only_stage) is not for us; absent on events written before the field existed.
    if (event.only_stage && event.only_stage !== TRANSCODE_STAGE) return;
    if (await ctx.alreadyProcessed()) return;
    const outcome = await this.cancellations.run(event.job_id, (signal) => this.transcoder.transcode(event, ctx.meta.attempt, signal), ctx.signal);
    if (outcome.cancelled) {
      // Cancelled before, during or right after the encode: no RenditionsReady, no retry, no JobFailed; nothing left behind.
      const removed = await this.outputs.discard(event.job_id);
      this.logger.log(`${event.job_id}: cancelled, transcode abandoned (${removed} output object(s) removed)`);
      return;
    }
    await ctx.processOnce((tx, outbox) => outbox.append(tx, 'RenditionsReady', outcome.value));
  }

  /**
   * The stage's durable record of a cancel (this group gets each one once, even if no instance was
   * listening to the broadcast then): remember it, stop a run here, and remove the job's outputs.
   */
  @EventPattern(Topics.JobCancelled)
  async onJobCancelled(@Payload() event: JobCancelled): Promise<void> {
    await this.cancellations.cancelled(event.job_id);
    await this.outputs.discard(event.job_id);
  }
}
