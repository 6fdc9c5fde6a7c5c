import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { JobCancelled, Topics, VideoValidated } from '@tf/contracts';
import { KafkaAvroContext } from '@tf/messaging';
import { CancellableRuns } from '@tf/stage';
import { TRANSCRIBE_STAGE, TranscribeService } from './transcribe.service';
import { transcriptionSkipReason } from './transcript-files';

@Controller()
export class ValidatedVideoHandler {
  private readonly logger = new Logger(ValidatedVideoHandler.name);

  constructor(
    private readonly transcriber: TranscribeService,
    private readonly runs: CancellableRuns,
  ) {}

  @EventPattern(Topics.VideoValidated)
  async onVideoValidated(@Payload() event: VideoValidated, @Ctx() ctx: KafkaAvroContext): Promise<void> {
    // A retry of another stage (only_stage) is not for us; absent on events written before the field existed.
    if (event.only_stage && event.only_stage !== TRANSCRIBE_STAGE) return;
    const skip = transcriptionSkipReason(event);
    if (skip) {
      this.logger.log(`${event.job_id}: no transcript (${skip})`);
      return;
    }
    // Cancelled: no TranscriptReady, no retry, no JobFailed; the transcript files (if any got written) are removed.
    await this.runs.runCancellable(ctx, {
      event,
      name: 'transcription',
      run: (signal) => this.transcriber.transcribe(event, ctx.meta.attempt, signal),
      discard: () => this.transcriber.discard(event.job_id),
      apply: (tx, outbox, ready) => outbox.append(tx, 'TranscriptReady', ready),
    });
  }

  /** The stage's durable record of a cancel (once per cancel for the group): remember it, stop a run here, remove the files. */
  @EventPattern(Topics.JobCancelled)
  async onJobCancelled(@Payload() event: JobCancelled): Promise<void> {
    await this.runs.cancelled(event.job_id, () => this.transcriber.discard(event.job_id));
  }
}
