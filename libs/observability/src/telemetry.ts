import { appendFileSync } from 'node:fs';
import { ExportResult, ExportResultCode } from '@opentelemetry/core';
import {
  ReadableSpan,
  SimpleSpanProcessor,
  SpanExporter,
  SpanProcessor,
  BatchSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeSDK } from '@opentelemetry/sdk-node';
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
 * Starts the OpenTelemetry Node SDK: W3C trace context propagation, async context, and spans to an
 * OTLP collector when OTEL_EXPORTER_OTLP_ENDPOINT is set and/or to TF_OTEL_SPANS_FILE.
 * Metrics are prom-client's (/metrics) and logs JSON lines on stdout, so the SDK gets no metric reader
 * and no log processor: left to the environment, it pushed both to an OTLP endpoint nobody runs.
 */
export function startTelemetry(service: string): void {
  if (sdk) return;
  const spanProcessors: SpanProcessor[] = [];
  if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT) spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter()));
  if (process.env.TF_OTEL_SPANS_FILE)
    spanProcessors.push(new SimpleSpanProcessor(new JsonLinesSpanExporter(process.env.TF_OTEL_SPANS_FILE)));
  sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: service }),
    spanProcessors,
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [],
  });
  sdk.start();
}

export async function stopTelemetry(): Promise<void> {
  await sdk?.shutdown().catch(() => undefined);
  sdk = undefined;
}
