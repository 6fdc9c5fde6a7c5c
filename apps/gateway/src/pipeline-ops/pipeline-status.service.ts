import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { PIPELINE_CONSUMER_GROUPS, PipelineConsumerGroup } from '@tf/contracts';
import { KAFKA, PipelineStatus, readPipelineStatus } from '@tf/messaging';
import { Admin, Kafka } from 'kafkajs';

export const PIPELINE_GROUPS = Symbol('PIPELINE_GROUPS');

/**
 * The pipeline's consumer groups as Kafka sees them right now (members, lag per topic and lane,
 * committed offsets, dead letters), read with the admin API on demand. Any replica answers it (the
 * operator's routes); only the elected one exports it as metrics (PipelineMetrics). Concurrent
 * callers share one reading.
 */
@Injectable()
export class PipelineStatusService implements OnApplicationShutdown {
  private admin?: Promise<Admin>;
  private reading?: Promise<PipelineStatus>;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(PIPELINE_GROUPS) private readonly groups: readonly PipelineConsumerGroup[] = PIPELINE_CONSUMER_GROUPS,
  ) {}

  snapshot(): Promise<PipelineStatus> {
    this.reading ??= this.connected()
      .then((admin) => readPipelineStatus(admin, this.groups))
      .finally(() => (this.reading = undefined));
    return this.reading;
  }

  async onApplicationShutdown(): Promise<void> {
    const admin = await this.admin?.catch(() => undefined);
    this.admin = undefined;
    await admin?.disconnect();
  }

  private connected(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      this.admin = admin.connect().then(
        () => admin,
        (error: unknown) => {
          this.admin = undefined;
          throw error;
        },
      );
    }
    return this.admin;
  }
}
