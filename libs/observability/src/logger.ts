import { LoggerService } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import pino, { DestinationStream, Logger } from 'pino';
import { redactLogArguments } from './log-redaction';
import { currentLogContext } from './log-context';

/**
 * JSON logs on stdout; each line carries the service, the job_id in scope and the active trace_id.
 * Every message and field is redacted (@tf/errors `redact`) before it is written.
 */
export function createJsonLogger(service: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    base: { service },
    level: process.env.TF_LOG_LEVEL ?? 'info',
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin() {
      const span = trace.getActiveSpan()?.spanContext();
      return { ...currentLogContext(), ...(span ? { trace_id: span.traceId, span_id: span.spanId } : {}) };
    },
    hooks: {
      logMethod(args, method) {
        return method.apply(this, redactLogArguments(args) as Parameters<typeof method>);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Adapts pino to Nest's LoggerService so framework logs are JSON too. */
export class JsonNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string) {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, stack: trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
