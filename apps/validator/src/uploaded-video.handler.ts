import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Topics, VideoUploaded } from '@tf/contracts';
import { KafkaAvroContext } from '@tf/messaging';
import { JobProgressReporter, StageTiming } from '@tf/stage';
import { SourceValidationService } from './source-validation.service';

@Controller()
export class UploadedVideoHandler {
  constructor(
    private readonly validation: SourceValidationService,
    private readonly timing: StageTiming,
    private readonly progress: JobProgressReporter,
  ) {}

  @EventPattern(Topics.VideoUploaded)
  async onVideoUploaded(@Payload() event: VideoUploaded, @Ctx() ctx: KafkaAvroContext): Promise<void> {
    if (await ctx.alreadyProcessed()) return;
    // A rejected upload is the stage's verdict written (outcome ok); `failed` is an attempt that threw.
    await this.timing.measure(ctx, event, async () => {
      // The job leaves the line here (tf_job_queue_wait_seconds; the timeline shows validate running from now).
      await this.progress.started(event.job_id, ctx.meta.attempt);
      const outcome = await this.validation.validate(event);
      await ctx.processOnce((tx, outbox) => outbox.append(tx, outcome.type, outcome.event as never));
    });
  }
}
