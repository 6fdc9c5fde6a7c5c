import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { RenditionsReady, Topics } from '@tf/contracts';
import { KafkaAvroContext } from '@tf/messaging';
import { PackagingService } from './packaging.service';
import { VariantPackager } from './variant-packager.service';

@Controller()
export class RenditionsReadyHandler {
  constructor(
    private readonly packager: VariantPackager,
    private readonly packaging: PackagingService,
  ) {}

  @EventPattern(Topics.RenditionsReady)
  async onRenditionsReady(@Payload() event: RenditionsReady, @Ctx() ctx: KafkaAvroContext): Promise<void> {
    if (!event.spec.enable_hls) return;
    if (await ctx.alreadyProcessed()) return;
    const variants = await this.packager.package(event);
    await ctx.processOnce((tx, outbox) => this.packaging.applyRenditions(tx, outbox, event, variants, ctx.meta.attempt));
  }
}
