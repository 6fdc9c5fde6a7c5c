import { Provider } from '@nestjs/common';
import { ApiKeyMiddleware } from '../auth/api-key.middleware';
import { ApiRequestAuthenticator } from '../auth/api-request-authenticator';
import { LIMITS_CONFIG, limitsConfig } from './limits.config';
import { QuotaRepository } from './quota.repository';
import { QuotaService } from './quota.service';
import { RateLimiter } from './rate-limiter';
import { GatewayRedis } from './redis';

/** Rate limits (Redis token buckets), quotas (Postgres), and the /api authentication that applies them. */
export const limitsProviders: Provider[] = [
  { provide: LIMITS_CONFIG, useFactory: () => limitsConfig() },
  GatewayRedis,
  RateLimiter,
  QuotaRepository,
  QuotaService,
  ApiRequestAuthenticator,
  ApiKeyMiddleware,
];
