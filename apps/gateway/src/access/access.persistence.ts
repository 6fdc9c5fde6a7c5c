import { ApiKeyEntity } from './api-key.entity';
import { CreateApiKeys1764470000001 } from './migrations/1764470000001-create-api-keys';
import { ApiKeyLimits1764480000000 } from './migrations/1764480000000-api-key-limits';
import { BootstrapKeyRetirement1764490000000 } from './migrations/1764490000000-bootstrap-key-retirement';
import { ApiKeyChangeNotify1764960000000 } from './migrations/1764960000000-api-key-change-notify';

/** Entities and migrations of API keys, for the gateway's DataSource (gateway.persistence.ts). */
export const accessEntities = [ApiKeyEntity];
export const accessMigrations = [
  CreateApiKeys1764470000001,
  ApiKeyLimits1764480000000,
  BootstrapKeyRetirement1764490000000,
  ApiKeyChangeNotify1764960000000,
];
