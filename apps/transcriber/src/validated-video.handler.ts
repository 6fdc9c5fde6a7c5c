import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Topics, VideoValidated } from '@tf/contracts';
import { KafkaAvroContext } from '@tf/messaging';
import { TranscribeService } from './transcribe.service';
import { transcriptionSkipReason } from './transcript-files';

@Controller()
export class ValidatedVideoHandler {
  private readonly logger = new Logger(ValidatedVideoHandler.name);

  constructor(private readonly transcriber: TranscribeService) {}

  @EventPattern(Topics.VideoValidated)
  async onVideoValidated(@Payload() event: VideoValidated, @Ctx() ctx: KafkaAvroContext): Promise<void> {
    const skip = transcriptionSkipReason(event);
    if (skip) {
      this.logger.log(`${event.job_id}: no transcript (${skip})`);
      return;
    }
    if (await ctx.alreadyProcessed()) return;
    const ready = await this.transcriber.transcribe(event, ctx.meta.attempt);
    await ctx.processOnce((tx, outbox) => outbox.append(tx, 'TranscriptReady', ready));
  }
}
