import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { JobCancelled, Topics, VideoValidated } from '@tf/contracts';
import { JobCancellations, KafkaAvroContext } from '@tf/messaging';
import { TRANSCRIBE_STAGE } from './job-progress.publisher';
import { TranscribeService } from './transcribe.service';
import { transcriptionSkipReason } from './transcript-files';

@Controller()
export class ValidatedVideoHandler {
  private readonly logger = new Logger(ValidatedVideoHandler.name);

  constructor(
    private readonly transcriber: TranscribeService,
    private readonly cancellations: JobCancellations,
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
    if (await ctx.alreadyProcessed()) return;
    const outcome = await this.cancellations.run(event.job_id, (signal) => this.transcriber.transcribe(event, ctx.meta.attempt, signal), ctx.signal);
    if (outcome.cancelled) {
      // No TranscriptReady, no retry, no JobFailed; the transcript files (if any got written) are removed.
      const removed = await this.transcriber.discard(event.job_id);
      this.logger.log(`${event.job_id}: cancelled, transcription abandoned (${removed} file(s) removed)`);
      return;
    }
    await ctx.processOnce((tx, outbox) => outbox.append(tx, 'TranscriptReady', outcome.value));
  }

  /** The stage's durable record of a cancel (once per cancel for the group): remember it, stop a run here, remove the files. */
  @EventPattern(Topics.JobCancelled)
  async onJobCancelled(@Payload() event: JobCancelled): Promise<void> {
    await this.cancellations.cancelled(event.job_id);
    await this.transcriber.discard(event.job_id);
  }
}
