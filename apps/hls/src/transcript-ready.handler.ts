import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Topics, TranscriptReady } from '@tf/contracts';
import { KafkaAvroContext } from '@tf/messaging';
import { JobCancellations } from '@tf/stage';
import { PackagingService } from './packaging.service';

@Controller()
export class TranscriptReadyHandler {
  private readonly logger = new Logger(TranscriptReadyHandler.name);

  constructor(
    private readonly packaging: PackagingService,
    private readonly cancellations: JobCancellations,
  ) {}

  @EventPattern(Topics.TranscriptReady)
  async onTranscriptReady(@Payload() event: TranscriptReady, @Ctx() ctx: KafkaAvroContext): Promise<void> {
    if (!event.spec.enable_hls) return;
    if (await this.cancellations.isCancelled(event.job_id)) {
      this.logger.log(`${event.job_id}: cancelled, transcript not packaged`);
      return;
    }
    await ctx.processOnce((tx, outbox) => this.packaging.applyTranscript(tx, outbox, event, ctx.meta.attempt));
  }
}
