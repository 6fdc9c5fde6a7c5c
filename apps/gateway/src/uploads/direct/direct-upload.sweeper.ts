import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { ScheduledRound } from '../../common/scheduled-round';
import { GATEWAY_CONFIG, GatewayConfig } from '../../config/gateway.config';
import { DirectUploadsService } from './direct-uploads.service';

/**
 * Every `uploadSweepIntervalMs`, expires the direct uploads nobody completed in time, so abandoned
 * multipart uploads do not keep their parts in S3 for ever. Every replica sweeps; the row locks
 * (SKIP LOCKED) keep two replicas off the same upload.
 */
@Injectable()
export class DirectUploadSweeper implements OnModuleInit {
  private readonly logger = new Logger(DirectUploadSweeper.name);
  private readonly round = new ScheduledRound('direct upload sweep', () => this.sweep(), this.logger);

  constructor(
    private readonly uploads: DirectUploadsService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onModuleInit(): void {
    this.round.start(this.scheduler, this.config.uploadSweepIntervalMs);
  }

  private async sweep(): Promise<void> {
    const expired = await this.uploads.expireDue();
    if (expired > 0) this.logger.log(`expired ${expired} direct upload(s) nobody completed`);
  }
}
