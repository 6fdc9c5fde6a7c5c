import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import { SCOPES } from './api-key';
import { ApiKeysService } from './api-keys.service';

export const BOOTSTRAP_TENANT = 'default';

/**
 * Ensures the deployment's TF_BOOTSTRAP_API_KEY exists (tenant "default", every scope, platform
 * admin: it manages every tenant's keys) at startup.
 */
@Injectable()
export class BootstrapApiKey implements OnApplicationBootstrap {
  private readonly logger = new Logger(BootstrapApiKey.name);

  constructor(
    private readonly keys: ApiKeysService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const key = this.config.bootstrapApiKey;
    if (!key) return;
    const result = await this.keys.ensure(key, BOOTSTRAP_TENANT, [...SCOPES], 'bootstrap', { platformAdmin: true });
    if (result === 'revoked') this.logger.warn('TF_BOOTSTRAP_API_KEY was revoked; it stays revoked');
    else this.logger.log(`bootstrap API key ${result === 'created' ? 'created' : 'present'} (tenant ${BOOTSTRAP_TENANT})`);
  }
}
