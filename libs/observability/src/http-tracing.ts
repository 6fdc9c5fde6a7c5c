import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import type { IncomingMessage, ServerResponse } from 'node:http';

const tracer = trace.getTracer('tf-http');

/**
 * Express-style middleware: one server span per request, continuing a caller's W3C traceparent, and
 * active while the request is handled, so what the handler writes (outbox rows, logs) carries it. The
 * trace id is echoed in `X-Trace-Id` so a client can find its job's trace.
 */
export function httpTracingMiddleware(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const parent = propagation.extract(context.active(), req.headers);
  const span = tracer.startSpan(
    `HTTP ${req.method}`,
    {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': req.method ?? '', 'url.path': (req.url ?? '').split('?')[0] },
    },
    parent,
  );
  res.setHeader('X-Trace-Id', span.spanContext().traceId);
  res.once('finish', () => {
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  context.with(trace.setSpan(parent, span), next);
}
