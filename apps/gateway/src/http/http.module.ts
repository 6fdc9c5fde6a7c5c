import { Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ApiExceptionFilter } from './api-exception.filter';
import { apiValidationPipe } from './api-validation.pipe';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { HttpServerTimeouts } from './http-server-timeouts';

/**
 * The HTTP edge shared by every route: `{code, message}` error answers, the one validation of DTO
 * classes (api-validation.pipe.ts), request metrics, server timeouts.
 * Global so that Nest mounts its middleware before any feature module's (global modules' middleware goes
 * first): a request refused by the key middleware (401, 429) is still counted.
 */
@Global()
@Module({
  providers: [
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
    { provide: APP_PIPE, useFactory: apiValidationPipe },
    HttpServerTimeouts,
  ],
})
export class HttpModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }
}
