import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Topics, TranscriptReady } from '@tf/contracts';
import { KafkaAvroContext } from '@tf/messaging';
import { PackagingService } from './packaging.service';

@Controller()
export class TranscriptReadyHandler {
  constructor(private readonly packaging: PackagingService) {}

  @EventPattern(Topics.TranscriptReady)
  async onTranscriptReady(@Payload() event: TranscriptReady, @Ctx() ctx: KafkaAvroContext): Promise<void> {
    if (!event.spec.enable_hls) return;
    await ctx.processOnce((tx, outbox) => this.packaging.applyTranscript(tx, outbox, event, ctx.meta.attempt));
  }
}
