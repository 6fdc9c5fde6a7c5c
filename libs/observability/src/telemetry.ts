import { EnvInt, EnvString, readEnv } from '@tf/config';
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
import { RotatingFile, RotationLimits } from './rotating-file';

/** Where spans go besides an OTLP collector (OTEL_EXPORTER_OTLP_ENDPOINT, read by the SDK itself). */
class TelemetryEnv {
  /** A JSON-lines file of finished spans (the local stack: .stack/logs/spans.jsonl); none when unset. */
  @EnvString() TF_OTEL_SPANS_FILE?: string;
  /** The span file is rotated at this size (bytes)... */
  @EnvInt({ min: 1024 }) TF_OTEL_SPANS_FILE_MAX_BYTES = 8 * 1024 * 1024;
  /** ...keeping this many rotated files (spans.jsonl.1 … .N), so it never holds more than (N + 1) × the size. */
  @EnvInt({ min: 1, max: 100 }) TF_OTEL_SPANS_FILE_KEEP = 3;
}

export const telemetryEnv = (env: NodeJS.ProcessEnv = process.env): TelemetryEnv => readEnv(TelemetryEnv, env);

/**
 * Writes finished spans as JSON lines to a file (TF_OTEL_SPANS_FILE), rotated by size. Lets tests and
 * operators without a collector see that one job's spans, from every service, share one trace id.
 */
export class JsonLinesSpanExporter implements SpanExporter {
  private readonly file: RotatingFile;

  constructor(path: string, limits: RotationLimits) {
    this.file = new RotatingFile(path, limits);
  }

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
      if (lines.length) this.file.append(lines.join('\n') + '\n');
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
  const env = telemetryEnv();
  const spanProcessors: SpanProcessor[] = [];
  if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT) spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter()));
  if (env.TF_OTEL_SPANS_FILE) {
    const limits = { maxBytes: env.TF_OTEL_SPANS_FILE_MAX_BYTES, keep: env.TF_OTEL_SPANS_FILE_KEEP };
    spanProcessors.push(new SimpleSpanProcessor(new JsonLinesSpanExporter(env.TF_OTEL_SPANS_FILE, limits)));
  }
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
