import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Topics, VideoUploaded } from '@tf/contracts';
import { KafkaAvroContext } from '@tf/messaging';
import { SourceValidationService } from './source-validation.service';

@Controller()
export class UploadedVideoHandler {
  constructor(private readonly validation: SourceValidationService) {}

  @EventPattern(Topics.VideoUploaded)
  async onVideoUploaded(@Payload() event: VideoUploaded, @Ctx() ctx: KafkaAvroContext): Promise<void> {
    if (await ctx.alreadyProcessed()) return;
    const outcome = await this.validation.validate(event);
    await ctx.processOnce((tx, outbox) => outbox.append(tx, outcome.type, outcome.event as never));
  }
}
