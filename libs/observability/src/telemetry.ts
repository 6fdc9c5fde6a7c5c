import { appendFileSync } from 'node:fs';
import { ExportResult, ExportResultCode } from '@opentelemetry/core';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { ReadableSpan, SimpleSpanProcessor, SpanExporter, SpanProcessor, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
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

let sdk: NodeSDK | undefined;

/**
 * Starts the OpenTelemetry Node SDK (W3C trace context propagation, async context). Spans go to an
 * OTLP collector when OTEL_EXPORTER_OTLP_ENDPOINT is set and/or to TF_OTEL_SPANS_FILE.
 */
export function startTelemetry(service: string): NodeSDK {
  if (sdk) return sdk;
  const processors: SpanProcessor[] = [];
  if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT) processors.push(new BatchSpanProcessor(new OTLPTraceExporter()));
  if (process.env.TF_OTEL_SPANS_FILE) processors.push(new SimpleSpanProcessor(new JsonLinesSpanExporter(process.env.TF_OTEL_SPANS_FILE)));
  sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: service }),
    spanProcessors: processors,
    instrumentations: [],
  });
  sdk.start();
  return sdk;
}

export async function stopTelemetry(): Promise<void> {
  await sdk?.shutdown().catch(() => undefined);
  sdk = undefined;
}
