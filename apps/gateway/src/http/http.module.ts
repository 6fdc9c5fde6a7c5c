import { Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ApiExceptionFilter } from './api-exception.filter';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { HttpServerTimeouts } from './http-server-timeouts';

/**
 * The HTTP edge shared by every route: `{code, message}` error answers, request metrics, server timeouts.
 * Global so that Nest mounts its middleware before any feature module's (global modules' middleware goes
 * first): a request refused by the key middleware (401, 429) is still counted.
 */
@Global()
@Module({
  providers: [{ provide: APP_FILTER, useClass: ApiExceptionFilter }, HttpServerTimeouts],
})
export class HttpModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }
}
