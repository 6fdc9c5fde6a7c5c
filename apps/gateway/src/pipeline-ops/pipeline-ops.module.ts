import { Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { PIPELINE_CONSUMER_GROUPS } from '@tf/contracts';
import { DataSource } from 'typeorm';
import { LagCollectorElection } from './lag-collector-election';
import { PipelineMetrics } from './pipeline-metrics';
import { PIPELINE_GROUPS, PipelineStatusService } from './pipeline-status.service';

/** Registers the Kafka gauges at start-up and gives up the collector's lock at shutdown. */
@Injectable()
class PipelineMetricsExporter implements OnApplicationShutdown {
  private readonly election: LagCollectorElection;

  constructor(status: PipelineStatusService, dataSource: DataSource) {
    this.election = new LagCollectorElection((dataSource.options as { url: string }).url);
    new PipelineMetrics(() => status.snapshot(), this.election);
  }

  onApplicationShutdown(): Promise<void> {
    return this.election.stop();
  }
}

/**
 * The pipeline's consumer groups seen from Kafka: `PipelineStatusService.snapshot()` for the operator's
 * routes, and the lag collector (one elected replica exports the Kafka metrics). KAFKA and the
 * DataSource come from the gateway's global modules.
 */
@Module({
  providers: [
    { provide: PIPELINE_GROUPS, useValue: PIPELINE_CONSUMER_GROUPS },
    PipelineStatusService,
    PipelineMetricsExporter,
  ],
  exports: [PipelineStatusService],
})
export class PipelineOpsModule {}
