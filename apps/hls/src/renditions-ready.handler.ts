import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { JobCancelled, RenditionsReady, Topics } from '@tf/contracts';
import { KafkaAvroContext } from '@tf/messaging';
import { CancellableRuns } from '@tf/stage';
import { PackagingService } from './packaging.service';
import { VariantPackager } from './variant-packager.service';

@Controller()
export class RenditionsReadyHandler {
  constructor(
    private readonly packager: VariantPackager,
    private readonly packaging: PackagingService,
    private readonly runs: CancellableRuns,
  ) {}

  @EventPattern(Topics.RenditionsReady)
  async onRenditionsReady(@Payload() event: RenditionsReady, @Ctx() ctx: KafkaAvroContext): Promise<void> {
    if (!event.spec.enable_hls) return;
    // Cancelled: no VideoPackaged, no retry, no JobFailed; the segments uploaded so far are removed.
    await this.runs.runCancellable(ctx, {
      event,
      name: 'packaging',
      run: (signal) => this.packager.package(event, signal),
      discard: () => this.packager.discard(event.job_id),
      apply: (tx, outbox, variants) => this.packaging.applyRenditions(tx, outbox, event, variants, ctx.meta.attempt),
    });
  }

  /** The stage's durable record of a cancel (once per cancel for the group): remember it, stop a remux here, remove hls-streams/{job}/. */
  @EventPattern(Topics.JobCancelled)
  async onJobCancelled(@Payload() event: JobCancelled): Promise<void> {
    await this.runs.cancelled(event.job_id, () => this.packager.discard(event.job_id));
  }
}
