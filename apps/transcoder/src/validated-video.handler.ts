import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { JobCancelled, Topics, VideoValidated } from '@tf/contracts';
import { KafkaAvroContext } from '@tf/messaging';
import { CancellableRuns } from '@tf/stage';
import { OutputStore } from './output-store';
import { TRANSCODE_STAGE, TranscodeService } from './transcode.service';

@Controller()
export class ValidatedVideoHandler {
  constructor(
    private readonly transcoder: TranscodeService,
    private readonly runs: CancellableRuns,
    private readonly outputs: OutputStore,
  ) {}

  @EventPattern(Topics.VideoValidated)
  async onVideoValidated(@Payload() event: VideoValidated, @Ctx() ctx: KafkaAvroContext): Promise<void> {
    // A retry of another stage (only_stage) is not for us; absent on events written before the field existed.
    if (event.only_stage && event.only_stage !== TRANSCODE_STAGE) return;
    // Cancelled before, during or right after the encode: no RenditionsReady, no retry, no JobFailed; nothing left behind.
    await this.runs.runCancellable(ctx, {
      event,
      name: TRANSCODE_STAGE,
      run: (signal) => this.transcoder.transcode(event, ctx.meta.attempt, signal),
      discard: () => this.outputs.discard(event.job_id),
      apply: (tx, outbox, ready) => outbox.append(tx, 'RenditionsReady', ready),
    });
  }

  /**
   * The stage's durable record of a cancel (this group gets each one once, even if no instance was
   * listening to the broadcast then): remember it, stop a run here, and remove the job's outputs.
   */
  @EventPattern(Topics.JobCancelled)
  async onJobCancelled(@Payload() event: JobCancelled): Promise<void> {
    await this.runs.cancelled(event.job_id, () => this.outputs.discard(event.job_id));
  }
}
