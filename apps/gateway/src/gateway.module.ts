import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { MessagingModule } from '@tf/messaging';
import { HEALTH_CHECKS, HealthCheck, OpsController } from '@tf/observability';
import { PersistenceModule } from '@tf/persistence';
import { StorageModule } from '@tf/storage';
import { DataSource } from 'typeorm';
import { adminControllers, adminProviders } from './admin/admin.providers';
import { API_PATHS, ApiKeyMiddleware } from './auth/api-key.middleware';
import { ApiKeyGuard } from './auth/api-key.guard';
import { ApiKeysRepository } from './auth/api-keys.repository';
import { ApiKeysService } from './auth/api-keys.service';
import { KeyRevocationWatch } from './auth/key-revocation.watch';
import { BootstrapApiKey } from './auth/bootstrap-api-key';
import { jobControlControllers, jobControlProviders } from './control/control.providers';
import { JobEventsController } from './events/job-events.controller';
import { JobEventsHub } from './events/job-events.hub';
import { JobEventsService } from './events/job-events.service';
import { JobNotificationsPublisher } from './events/job-notifications.publisher';
import { directUploadControllers, directUploadProviders } from './direct-upload/direct-upload.providers';
import { GATEWAY_CONFIG, gatewayConfig } from './gateway.config';
import { GRAPHQL_GATE_PATHS, GatewayGraphQLModule, GraphqlRequestGate, graphqlProviders } from './graphql';
import { gatewayDataSourceOptions } from './gateway.persistence';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { HttpMetricsMiddleware } from './http/http-metrics.middleware';
import { HttpServerTimeouts } from './http/http-server-timeouts';
import { JobQueryService } from './jobs/job-query.service';
import { JobsController } from './jobs/jobs.controller';
import { JobsRepository } from './jobs/jobs.repository';
import { limitsProviders } from './limits/limits.providers';
import { playbackControllers, playbackProviders } from './playback/playback.providers';
import { JobTrackerHandler } from './tracker/job-tracker.handler';
import { JobTrackerService } from './tracker/job-tracker.service';
import { MultipartUploadReceiver } from './upload/multipart-upload';
import { UploadService } from './upload/upload.service';
import { WebhooksModule } from './webhooks/webhooks.module';

const healthChecks = {
  provide: HEALTH_CHECKS,
  inject: [DataSource, JobEventsHub],
  useFactory: (dataSource: DataSource, hub: JobEventsHub): HealthCheck[] => [
    { name: 'database', check: async () => void (await dataSource.query('SELECT 1')) },
    { name: 'job_events', check: async () => hub.assertListening() },
  ],
};

@Module({
  imports: [
    PersistenceModule.forRoot(gatewayDataSourceOptions),
    // No failedStage: a tracker event given up on is parked in tf.dlq.tf-gateway-jobs; a JobFailed for it would come back to this same group.
    MessagingModule.forRoot({ service: 'gateway', groupId: 'tf-gateway-jobs', concurrency: 8 }),
    StorageModule,
    // GraphQL at /graphql (queries, mutations, graphql-ws subscriptions) over the same services as REST.
    GatewayGraphQLModule,
    // Tenant webhook endpoints and the delivery log (its own controllers, Kafka handler and providers).
    WebhooksModule,
  ],
  controllers: [JobsController, JobEventsController, JobTrackerHandler, OpsController, ...adminControllers, ...jobControlControllers, ...directUploadControllers, ...playbackControllers],
  providers: [
    { provide: GATEWAY_CONFIG, useFactory: () => gatewayConfig() },
    // HTTP edge
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
    HttpServerTimeouts,
    healthChecks,
    // API keys
    ApiKeysRepository,
    ApiKeysService,
    KeyRevocationWatch,
    BootstrapApiKey,
    // rate limits, quotas, the /api authentication (auth/api-key.middleware.ts); the admin API
    ...limitsProviders,
    ...adminProviders,
    // jobs: upload and status
    JobsRepository,
    JobQueryService,
    MultipartUploadReceiver,
    UploadService,
    // direct (client-to-S3) uploads; signed HLS playback
    ...directUploadProviders,
    ...playbackProviders,
    // job tracker and SSE
    JobTrackerService,
    JobNotificationsPublisher,
    JobEventsHub,
    JobEventsService,
    // GraphQL resolvers and their X-API-Key guard
    ...graphqlProviders,
    // job control: list filters live in jobs/; cancel, retry, backfill
    ...jobControlProviders,
  ],
})
export class GatewayModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
    consumer.apply(ApiKeyMiddleware).forRoutes(...API_PATHS);
    // Key, rate limit and document size before Apollo parses a GraphQL request.
    consumer.apply(GraphqlRequestGate).forRoutes(...GRAPHQL_GATE_PATHS);
  }
}
