import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { JobCancelled, RenditionsReady, Topics } from '@tf/contracts';
import { JobCancellations, KafkaAvroContext } from '@tf/messaging';
import { PackagingService } from './packaging.service';
import { VariantPackager } from './variant-packager.service';

@Controller()
export class RenditionsReadyHandler {
  private readonly logger = new Logger(RenditionsReadyHandler.name);

  constructor(
    private readonly packager: VariantPackager,
    private readonly packaging: PackagingService,
    private readonly cancellations: JobCancellations,
  ) {}

  @EventPattern(Topics.RenditionsReady)
  async onRenditionsReady(@Payload() event: RenditionsReady, @Ctx() ctx: KafkaAvroContext): Promise<void> {
    if (!event.spec.enable_hls) return;
    if (await ctx.alreadyProcessed()) return;
    const outcome = await this.cancellations.run(event.job_id, (signal) => this.packager.package(event, signal));
    if (outcome.cancelled) {
      // No VideoPackaged, no retry, no JobFailed; the segments uploaded so far are removed.
      const removed = await this.packager.discard(event.job_id);
      this.logger.log(`${event.job_id}: cancelled, packaging abandoned (${removed} object(s) removed)`);
      return;
    }
    await ctx.processOnce((tx, outbox) => this.packaging.applyRenditions(tx, outbox, event, outcome.value, ctx.meta.attempt));
  }

  /** The stage's durable record of a cancel (once per cancel for the group): remember it, stop a remux here, remove hls-streams/{job}/. */
  @EventPattern(Topics.JobCancelled)
  async onJobCancelled(@Payload() event: JobCancelled): Promise<void> {
    await this.cancellations.cancelled(event.job_id);
    await this.packager.discard(event.job_id);
  }
}
