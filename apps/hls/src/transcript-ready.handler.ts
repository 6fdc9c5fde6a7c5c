import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Topics, TranscriptReady } from '@tf/contracts';
import { KafkaAvroContext } from '@tf/messaging';
import { JobCancellations, StageTiming } from '@tf/stage';
import { PackagingService } from './packaging.service';

@Controller()
export class TranscriptReadyHandler {
  private readonly logger = new Logger(TranscriptReadyHandler.name);

  constructor(
    private readonly packaging: PackagingService,
    private readonly cancellations: JobCancellations,
    private readonly timing: StageTiming,
  ) {}

  @EventPattern(Topics.TranscriptReady)
  async onTranscriptReady(@Payload() event: TranscriptReady, @Ctx() ctx: KafkaAvroContext): Promise<void> {
    if (!event.spec.enable_hls) return;
    if (await this.cancellations.isCancelled(event.job_id)) {
      this.logger.log(`${event.job_id}: cancelled, transcript not packaged`);
      return;
    }
    // Packaging time too (the master rewritten with subtitles): a duplicate delivery is neither work nor counted.
    if (await ctx.alreadyProcessed()) return;
    await this.timing.measure(ctx, event, () =>
      ctx.processOnce((tx, outbox) => this.packaging.applyTranscript(tx, outbox, event, ctx.meta.attempt)),
    );
  }
}
