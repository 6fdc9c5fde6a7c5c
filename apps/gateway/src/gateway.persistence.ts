import { messagingEntities, messagingMigrations } from '@tf/messaging';
import type { ServiceDataSourceOptions } from '@tf/persistence';
import { ApiKeyEntity } from './auth/api-key.entity';
import { directUploadEntities, directUploadMigrations } from './direct-upload/direct-upload.persistence';
import { JobEntity } from './jobs/job.entity';
import { CreateJobs1764470000000 } from './migrations/1764470000000-create-jobs';
import { CreateApiKeys1764470000001 } from './migrations/1764470000001-create-api-keys';
import { ApiKeyLimits1764480000000 } from './migrations/1764480000000-api-key-limits';
import { JobsControl1764481000000 } from './migrations/1764481000000-jobs-control';
import { BootstrapKeyRetirement1764490000000 } from './migrations/1764490000000-bootstrap-key-retirement';
import { webhookEntities, webhookMigrations } from './webhooks/webhooks.persistence';

/** The gateway's schema, shared by the HTTP app and the tflow CLI. */
export const gatewayDataSourceOptions: ServiceDataSourceOptions = {
  schema: 'gateway',
  entities: [...messagingEntities, JobEntity, ApiKeyEntity, ...webhookEntities, ...directUploadEntities],
  migrations: [...messagingMigrations, CreateJobs1764470000000, CreateApiKeys1764470000001, ApiKeyLimits1764480000000, JobsControl1764481000000, ...webhookMigrations, ...directUploadMigrations, BootstrapKeyRetirement1764490000000],
};
