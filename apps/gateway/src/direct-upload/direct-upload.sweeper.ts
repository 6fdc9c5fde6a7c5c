import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import { DirectUploadsService } from './direct-uploads.service';

/**
 * Every `uploadSweepIntervalMs`, expires the direct uploads nobody completed in time, so abandoned
 * multipart uploads do not keep their parts in S3 for ever. Every replica sweeps; the row locks
 * (SKIP LOCKED) keep two replicas off the same upload.
 */
@Injectable()
export class DirectUploadSweeper implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(DirectUploadSweeper.name);
  private timer?: NodeJS.Timeout;
  private sweeping = false;

  constructor(
    private readonly uploads: DirectUploadsService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.sweep(), this.config.uploadSweepIntervalMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  private async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const expired = await this.uploads.expireDue();
      if (expired > 0) this.logger.log(`expired ${expired} direct upload(s) nobody completed`);
    } catch (error) {
      this.logger.warn(`direct upload sweep failed: ${(error as Error).message}`);
    } finally {
      this.sweeping = false;
    }
  }
}
