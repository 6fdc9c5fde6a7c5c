import { Injectable, NestMiddleware } from '@nestjs/common';
import { metricsRegistry } from '@tf/observability';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Histogram } from 'prom-client';

const labelNames = ['method', 'route', 'status'] as const;

const requests = new Counter({
  name: 'tf_http_requests_total',
  help: 'HTTP requests answered, by method, route pattern and status.',
  labelNames,
  registers: [metricsRegistry],
});

const duration = new Histogram({
  name: 'tf_http_request_duration_seconds',
  help: 'Time to answer an HTTP request (uploads include the transfer; SSE streams their whole life).',
  labelNames,
  buckets: [0.005, 0.025, 0.1, 0.5, 1, 5, 30, 120, 600, 3600],
  registers: [metricsRegistry],
});

/** Error answers by API code: codes are constants of the code base (a bounded set), never request data. */
export const httpErrors = new Counter({
  name: 'tf_http_errors_total',
  help: 'Error answers of the HTTP API, by status and code (e.g. 400 JSON_TOO_DEEP, 413 PAYLOAD_TOO_LARGE, 500 INTERNAL).',
  labelNames: ['status', 'code'] as const,
  registers: [metricsRegistry],
});

type RoutedRequest = IncomingMessage & { route?: { path?: string }; baseUrl?: string };

/** Counts and times every request by its route pattern (never the raw URL: ids would explode the series). */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  use(req: RoutedRequest, res: ServerResponse, next: () => void): void {
    const stop = duration.startTimer();
    res.once('close', () => {
      const route = req.route?.path ? `${req.baseUrl ?? ''}${req.route.path}` : 'unmatched';
      const labels = { method: req.method ?? 'GET', route, status: String(res.statusCode) };
      requests.inc(labels);
      stop(labels);
    });
    next();
  }
}
