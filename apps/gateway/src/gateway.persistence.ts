import { messagingEntities, messagingMigrations } from '@tf/messaging';
import type { ServiceDataSourceOptions } from '@tf/persistence';
import { accessEntities, accessMigrations } from './access/access.persistence';
import { jobEntities, jobMigrations } from './jobs/jobs.persistence';
import { directUploadEntities, directUploadMigrations } from './uploads/direct/direct-upload.persistence';
import { webhookEntities, webhookMigrations } from './webhooks/webhooks.persistence';

/**
 * The gateway's schema, shared by the HTTP app and the tflow CLI: each feature folder owns its entities
 * and migrations; TypeORM runs the migrations in the order of their timestamps.
 */
export const gatewayDataSourceOptions: ServiceDataSourceOptions = {
  schema: 'gateway',
  entities: [...messagingEntities, ...jobEntities, ...accessEntities, ...webhookEntities, ...directUploadEntities],
  migrations: [
    ...messagingMigrations,
    ...jobMigrations,
    ...accessMigrations,
    ...webhookMigrations,
    ...directUploadMigrations,
  ],
};
