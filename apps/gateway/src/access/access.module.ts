import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { LimitsConfigModule } from '../limits/limits-config.module';
import { RateLimitsModule } from '../limits/rate/rate-limits.module';
import { ACCESS_CONFIG, AccessConfig, accessConfig } from './access.config';
import { AdminKeysController } from './admin-keys.controller';
import { AdminKeysService } from './admin-keys.service';
import { AdminRoutesController } from './admin-routes.controller';
import { API_PATHS, ApiKeyMiddleware } from './api-key.middleware';
import { ApiKeyChangesListener } from './api-key-changes.listener';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeysModule } from './api-keys.module';
import { ApiRequestAuthenticator } from './api-request-authenticator';
import { AuthenticatedKeyCache } from './authenticated-key-cache';
import { BootstrapApiKey } from './bootstrap-api-key';
import { KeyRevocationWatch } from './key-revocation.watch';
import { RouteTable } from './route-table';
import { SessionController } from './session.controller';

/**
 * Who may call: API keys (authentication and rate limit of every /api request, the scope guard,
 * revocation of open streams, the bootstrap key) and the admin API (/api/v1/admin keys and routes).
 */
@Module({
  imports: [ApiKeysModule, RateLimitsModule, LimitsConfigModule],
  controllers: [AdminKeysController, AdminRoutesController, SessionController],
  providers: [
    { provide: ACCESS_CONFIG, useFactory: () => accessConfig() },
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    {
      provide: AuthenticatedKeyCache,
      inject: [ACCESS_CONFIG],
      useFactory: (config: AccessConfig) => new AuthenticatedKeyCache({ ttlMs: config.keyCacheTtlMs }),
    },
    ApiKeyChangesListener,
    ApiRequestAuthenticator,
    ApiKeyMiddleware,
    KeyRevocationWatch,
    BootstrapApiKey,
    AdminKeysService,
    RouteTable,
  ],
  exports: [ApiKeysModule, ApiRequestAuthenticator, KeyRevocationWatch, RouteTable],
})
export class AccessModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ApiKeyMiddleware).forRoutes(...API_PATHS);
  }
}
