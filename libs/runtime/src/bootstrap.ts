import { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CustomTransportStrategy } from '@nestjs/microservices';
import {
  JsonNestLogger,
  createJsonLogger,
  enableDefaultMetrics,
  httpTracingMiddleware,
  requestIdMiddleware,
  startTelemetry,
  stopTelemetry,
} from '@tf/observability';
import { CONSUMER_TRANSPORT } from './consumer-transport';
import { JsonReplyExpressAdapter } from './json-reply-adapter';
import { RawRpcErrorFilter } from './raw-error.filter';
import { runtimeEnv } from './runtime.env';

export interface ServiceBootstrapOptions {
  service: string;
  module: Type<unknown>;
  /** HTTP port for /health, /metrics (and the gateway's API); TF_HTTP_PORT overrides it. */
  port: number;
  /** Whether the app consumes messages through its @EventPattern handlers (its module provides CONSUMER_TRANSPORT). */
  consumes?: boolean;
  configure?: (app: INestApplication) => void | Promise<void>;
}

/**
 * The one way every app starts: telemetry first, JSON logs, the Nest app with its ops routes, the
 * consumer transport as a hybrid microservice, graceful shutdown on SIGTERM.
 */
export async function bootstrapService(options: ServiceBootstrapOptions): Promise<INestApplication> {
  const logger = createJsonLogger(options.service);
  try {
    return await start(options, logger);
  } catch (error) {
    // A bad setting (ConfigError names the variable) or a dependency that never came up: one plain line
    // and a non-zero exit, instead of Nest's abort() or an unhandled rejection's stack.
    logger.fatal({ err: error }, `start-up failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

async function start(
  options: ServiceBootstrapOptions,
  logger: ReturnType<typeof createJsonLogger>,
): Promise<INestApplication> {
  const env = runtimeEnv();
  startTelemetry(options.service);
  enableDefaultMetrics(options.service);
  // abortOnError off: a provider that throws (a bad setting) rejects here instead of calling process.abort().
  const app = await NestFactory.create(options.module, new JsonReplyExpressAdapter(), {
    logger: new JsonNestLogger(logger),
    abortOnError: false,
  });
  app.enableShutdownHooks();
  // First: every later middleware's, handler's and error filter's log lines carry the request id.
  app.use(requestIdMiddleware);
  app.use(httpTracingMiddleware);
  await options.configure?.(app);
  // Lifecycle hooks (migrations, relay, workers) complete before the first message is consumed.
  await app.init();
  if (options.consumes !== false) {
    // Deferred so the filter is in place before Nest wraps the handlers; the app already ran the
    // lifecycle hooks, so the microservice must not run them a second time.
    const microservice = app.connectMicroservice(
      { strategy: app.get<CustomTransportStrategy>(CONSUMER_TRANSPORT) },
      { deferInitialization: true },
    );
    microservice.useGlobalFilters(new RawRpcErrorFilter());
    (microservice as unknown as { setIsInitHookCalled(v: boolean): void }).setIsInitHookCalled(true);
    await app.startAllMicroservices();
  }
  await app.listen(env.TF_HTTP_PORT ?? options.port, env.TF_HTTP_HOST);
  process.once('SIGTERM', () => void stopTelemetry());
  return app;
}
