import { Context, context, propagation, trace } from '@opentelemetry/api';
import type { IHeaders } from 'kafkajs';

/** W3C trace context (traceparent/tracestate) of the active span, as string headers. */
export function currentTraceHeaders(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

/** The OpenTelemetry context that a message's headers carry. */
export function contextFromKafkaHeaders(headers: IHeaders | undefined): Context {
  const carrier: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) carrier[key] = Array.isArray(value) ? String(value[0]) : String(value);
  }
  return propagation.extract(context.active(), carrier);
}

/** The trace id a message's traceparent header names, if it has one (for the log lines written about it). */
export const traceIdOfKafkaHeaders = (headers: IHeaders | undefined): string | undefined =>
  trace.getSpanContext(contextFromKafkaHeaders(headers))?.traceId;
