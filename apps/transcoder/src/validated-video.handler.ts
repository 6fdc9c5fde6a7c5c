import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Topics, VideoValidated } from '@tf/contracts';
import { KafkaAvroContext } from '@tf/messaging';
import { TranscodeService } from './transcode.service';

@Controller()
export class ValidatedVideoHandler {
  constructor(private readonly transcoder: TranscodeService) {}

  @EventPattern(Topics.VideoValidated)
  async onVideoValidated(@Payload() event: VideoValidated, @Ctx() ctx: KafkaAvroContext): Promise<void> {
    if (await ctx.alreadyProcessed()) return;
    const ready = await this.transcoder.transcode(event, ctx.meta.attempt);
    await ctx.processOnce((tx, outbox) => outbox.append(tx, 'RenditionsReady', ready));
  }
}
