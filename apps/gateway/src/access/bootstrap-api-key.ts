import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ACCESS_CONFIG, AccessConfig } from './access.config';
import { SCOPES } from './api-key';
import { ApiKeysService } from './api-keys.service';

const BOOTSTRAP_TENANT = 'default';

/**
 * At start-up: ensures the deployment's TF_BOOTSTRAP_API_KEY exists (tenant "default", every scope,
 * platform admin: it manages every tenant's keys) and retires every bootstrap key no longer configured,
 * so a replaced (or removed) admin key stops working on every replica at once. Keys stay marked as
 * bootstrap keys (api_keys.bootstrap); keys issued through the API are never touched here.
 */
@Injectable()
export class BootstrapApiKey implements OnApplicationBootstrap {
  private readonly logger = new Logger(BootstrapApiKey.name);

  constructor(
    private readonly keys: ApiKeysService,
    @Inject(ACCESS_CONFIG) private readonly config: AccessConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { state, retired } = await this.keys.ensureBootstrapKey(
      this.config.bootstrapApiKey ?? null,
      BOOTSTRAP_TENANT,
      [...SCOPES],
      'bootstrap',
    );
    if (retired.length > 0)
      this.logger.warn(
        `retired ${retired.length} bootstrap API key(s) no longer configured: ${retired.map((p) => `${p}…`).join(', ')}`,
      );
    if (state === 'revoked') this.logger.warn('TF_BOOTSTRAP_API_KEY was revoked through the API; it stays revoked');
    else if (state) this.logger.log(`bootstrap API key ${state} (tenant ${BOOTSTRAP_TENANT})`);
  }
}
