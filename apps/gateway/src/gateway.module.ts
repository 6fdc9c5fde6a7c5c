import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { MessagingModule } from '@tf/messaging';
import { PersistenceModule } from '@tf/persistence';
import { StorageModule } from '@tf/storage';
import { AccessModule } from './access/access.module';
import { ConsoleModule } from './console/console.module';
import { GatewayConfigModule } from './config/config.module';
import { ControlModule } from './control/control.module';
import { gatewayDataSourceOptions } from './gateway.persistence';
import { GraphqlApiModule } from './graphql/graphql-api.module';
import { HttpModule } from './http/http.module';
import { JobsModule } from './jobs/jobs.module';
import { LiveModule } from './live/live.module';
import { OpsModule } from './ops/ops.module';
import { OperatorModule } from './operator/operator.module';
import { PipelineOpsModule } from './pipeline-ops/pipeline-ops.module';
import { PlaybackModule } from './playback/playback.module';
import { TrackerModule } from './tracker/tracker.module';
import { DirectUploadsModule } from './uploads/direct/direct-uploads.module';
import { FormUploadsModule } from './uploads/form/form-uploads.module';
import { WebhooksModule } from './webhooks/webhooks.module';

/** The gateway: its infrastructure (database, Kafka, object storage) and its feature modules, nothing else. */
@Module({
  imports: [
    PersistenceModule.forRoot(gatewayDataSourceOptions),
    // No stage outcomes (not a StageModule): a tracker event given up on is parked in tf.dlq.tf-gateway-jobs; a JobFailed for it would come back to this same group.
    // No priority gate: the tracker applies an event in milliseconds and never has a queue for lanes to order,
    // while a lane lookup on a busy broker held events (and kafkajs's next fetch) for up to 0.8 s (bench/README.md).
    MessagingModule.forRoot({ service: 'gateway', groupId: 'tf-gateway-jobs', concurrency: 8, prioritize: false }),
    StorageModule,
    // The replica's periodic rounds (key revocation check, direct upload sweep): common/scheduled-round.ts.
    ScheduleModule.forRoot(),
    GatewayConfigModule,
    HttpModule,
    OpsModule,
    PipelineOpsModule,
    AccessModule,
    JobsModule,
    FormUploadsModule,
    DirectUploadsModule,
    PlaybackModule,
    ControlModule,
    OperatorModule,
    LiveModule,
    TrackerModule,
    WebhooksModule,
    GraphqlApiModule,
    // Last: its files are served after every route of the modules above.
    ConsoleModule,
  ],
})
export class GatewayModule {}
