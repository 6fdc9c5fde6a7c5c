import { appendFileSync } from 'node:fs';
import { ExportResult, ExportResultCode } from '@opentelemetry/core';
import { ReadableSpan, SimpleSpanProcessor, SpanExporter, SpanProcessor, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { detectResources, envDetector, hostDetector, processDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/**
 * Writes finished spans as JSON lines to a file (TF_OTEL_SPANS_FILE). Lets tests and operators
 * without a collector see that one job's spans, from every service, share one trace id.
 */
export class JsonLinesSpanExporter implements SpanExporter {
  constructor(private readonly path: string) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    const lines = spans.map((s) =>
      JSON.stringify({
        service: s.resource.attributes[ATTR_SERVICE_NAME],
        name: s.name,
        trace_id: s.spanContext().traceId,
        span_id: s.spanContext().spanId,
        parent_span_id: s.parentSpanContext?.spanId ?? null,
        job_id: s.attributes['tf.job_id'] ?? null,
        start: s.startTime,
        end: s.endTime,
      }),
    );
    try {
      if (lines.length) appendFileSync(this.path, lines.join('\n') + '\n');
      done({ code: ExportResultCode.SUCCESS });
    } catch (error) {
      done({ code: ExportResultCode.FAILED, error: error as Error });
    }
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

let provider: NodeTracerProvider | undefined;

/**
 * Starts tracing: W3C trace context propagation, async context, and spans to an OTLP collector when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set and/or to TF_OTEL_SPANS_FILE.
 * A tracer provider alone, not @opentelemetry/sdk-node's NodeSDK: that one loads every OTLP exporter
 * (grpc, proto, http, for traces, metrics and logs: about 2,000 modules, a third of a service's
 * start-up) and, with the OpenTelemetry metrics and logs exporter variables unset, pushed metrics and
 * logs to an OTLP endpoint nobody runs. Metrics are prom-client's (/metrics); logs are JSON lines on stdout.
 */
export function startTelemetry(service: string): void {
  if (provider) return;
  const processors: SpanProcessor[] = [];
  if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT) processors.push(new BatchSpanProcessor(new OTLPTraceExporter()));
  if (process.env.TF_OTEL_SPANS_FILE) processors.push(new SimpleSpanProcessor(new JsonLinesSpanExporter(process.env.TF_OTEL_SPANS_FILE)));
  // The resource NodeSDK gave spans: the service name, then what the environment, process and host tell.
  const resource = resourceFromAttributes({ [ATTR_SERVICE_NAME]: service }).merge(detectResources({ detectors: [envDetector, processDetector, hostDetector] }));
  provider = new NodeTracerProvider({ resource, spanProcessors: processors });
  // Global tracer provider, AsyncLocalStorage context manager, W3C trace context + baggage propagators.
  provider.register();
}

export async function stopTelemetry(): Promise<void> {
  await provider?.shutdown().catch(() => undefined);
  provider = undefined;
}
