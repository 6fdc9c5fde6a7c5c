import { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { JsonNestLogger, createJsonLogger, enableDefaultMetrics, httpTracingMiddleware, startTelemetry, stopTelemetry } from '@tf/observability';
import { KafkaAvroTransport } from './transport/kafka-avro.transport';
import { RawRpcErrorFilter } from './transport/raw-error.filter';

export interface ServiceBootstrapOptions {
  service: string;
  module: Type<unknown>;
  /** HTTP port for /health, /metrics (and the gateway's API). */
  port: number;
  /** Whether the app consumes Kafka through its @EventPattern handlers. */
  consumes?: boolean;
  configure?: (app: INestApplication) => void | Promise<void>;
}

/**
 * The one way every app starts: telemetry first, JSON logs, the Nest app with its ops routes, the
 * Kafka transport as a hybrid microservice, graceful shutdown on SIGTERM.
 */
export async function bootstrapService(options: ServiceBootstrapOptions): Promise<INestApplication> {
  startTelemetry(options.service);
  enableDefaultMetrics(options.service);
  const app = await NestFactory.create(options.module, { logger: new JsonNestLogger(createJsonLogger(options.service)) });
  app.enableShutdownHooks();
  app.use(httpTracingMiddleware);
  await options.configure?.(app);
  // Lifecycle hooks (migrations, relay, workers) complete before the first message is consumed.
  await app.init();
  if (options.consumes !== false) {
    // Deferred so the filter is in place before Nest wraps the handlers; the app already ran the
    // lifecycle hooks, so the microservice must not run them a second time.
    const microservice = app.connectMicroservice({ strategy: app.get(KafkaAvroTransport) }, { deferInitialization: true });
    microservice.useGlobalFilters(new RawRpcErrorFilter());
    (microservice as unknown as { setIsInitHookCalled(v: boolean): void }).setIsInitHookCalled(true);
    await app.startAllMicroservices();
  }
  const port = Number(process.env.TF_HTTP_PORT ?? options.port);
  await app.listen(port, process.env.TF_HTTP_HOST ?? '127.0.0.1');
  process.once('SIGTERM', () => void stopTelemetry());
  return app;
}
