import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { PeriodicTask } from '../../common/periodic-task';
import { GATEWAY_CONFIG, GatewayConfig } from '../../config/gateway.config';
import { DirectUploadsService } from './direct-uploads.service';

/**
 * Every `uploadSweepIntervalMs`, expires the direct uploads nobody completed in time, so abandoned
 * multipart uploads do not keep their parts in S3 for ever. Every replica sweeps; the row locks
 * (SKIP LOCKED) keep two replicas off the same upload.
 */
@Injectable()
export class DirectUploadSweeper implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(DirectUploadSweeper.name);
  private readonly task: PeriodicTask;

  constructor(
    private readonly uploads: DirectUploadsService,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.task = new PeriodicTask('direct upload sweep', config.uploadSweepIntervalMs, () => this.sweep(), this.logger);
  }

  onModuleInit(): void {
    this.task.start();
  }

  onModuleDestroy(): void {
    this.task.stop();
  }

  private async sweep(): Promise<void> {
    const expired = await this.uploads.expireDue();
    if (expired > 0) this.logger.log(`expired ${expired} direct upload(s) nobody completed`);
  }
}
