import { currentLogContext, metricsRegistry } from '@tf/observability';
import type { WebhookConfig } from './notifier.config';
import { WebhookDispatcher } from './webhook-dispatcher.service';
import type { WebhookDeliveryRecorder } from './webhook-delivery.recorder';
import type { ClaimedDelivery, WebhookDeliveryRepository } from './webhook-delivery.repository';
import type { EndpointState, WebhookEndpointsRepository } from './webhook-endpoints.repository';
import type { WebhookHttpClient, WebhookHttpResult } from './webhook-http.client';

/** The dispatcher with its boundaries faked: the receiver answers `status` (null: no answer), no database. */
function dispatcher(status: number | null, endpoints = new Map<string, EndpointState>(), seen: object[] = []) {
  const http = {
    post: async (): Promise<WebhookHttpResult> => {
      seen.push(currentLogContext());
      return {
        startedAt: new Date(),
        durationMs: 12,
        statusCode: status,
        error: status !== null && status < 300 ? null : `HTTP ${status}`,
      };
    },
  } as unknown as WebhookHttpClient;
  const deliveries = { recordAttempt: async () => undefined } as unknown as WebhookDeliveryRepository;
  const endpointsRepo = { findMany: async () => endpoints } as unknown as WebhookEndpointsRepository;
  const recorder = { record: async () => undefined } as unknown as WebhookDeliveryRecorder;
  const config = {
    secret: 's'.repeat(43),
    timeoutMs: 1_000,
    retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 },
    egress: { allowPrivateNetworks: true },
  } as unknown as WebhookConfig;
  return new WebhookDispatcher(http, deliveries, endpointsRepo, recorder, config);
}

const delivery = (seriesAttempt: number, endpointId: string | null = null): ClaimedDelivery => ({
  id: 'd1',
  eventId: 'e1',
  url: 'http://127.0.0.1:9/hook',
  payload: { type: 'video.completed', event_id: 'e1', job_id: 'j1', occurred_at: '2026-01-01T00:00:00Z', data: {} },
  endpointId,
  attempt: seriesAttempt,
  series: 1,
  seriesAttempt,
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
});

async function deliveriesByOutcome(): Promise<Record<string, number>> {
  const metric = await metricsRegistry.getSingleMetric('tf_webhook_deliveries_total')!.get();
  return Object.fromEntries(metric.values.map((v) => [String(v.labels.outcome), v.value]));
}

describe('WebhookDispatcher: tf_webhook_deliveries_total counts each delivery once, when it ends', () => {
  it('delivered (2xx), gave_up (the last attempt of the policy failed), failed (refused without retrying); not while it retries', async () => {
    const before = await deliveriesByOutcome();
    const delta = async () => {
      const now = await deliveriesByOutcome();
      return Object.fromEntries(['delivered', 'failed', 'gave_up'].map((o) => [o, (now[o] ?? 0) - (before[o] ?? 0)]));
    };

    expect(await dispatcher(204).attempt(delivery(1))).toEqual({ status: 'delivered' });
    expect(await delta()).toEqual({ delivered: 1, failed: 0, gave_up: 0 });

    expect((await dispatcher(500).attempt(delivery(1))).status).toBe('pending');
    expect((await dispatcher(null).attempt(delivery(2))).status).toBe('pending');
    expect(await delta()).toEqual({ delivered: 1, failed: 0, gave_up: 0 });

    expect(await dispatcher(503).attempt(delivery(3))).toEqual({ status: 'failed' });
    expect(await delta()).toEqual({ delivered: 1, failed: 0, gave_up: 1 });

    // The tenant endpoint was deleted: nothing to POST to, whatever attempt it is.
    expect(await dispatcher(204).attempt(delivery(1, 'gone'))).toEqual({ status: 'failed' });
    expect(await delta()).toEqual({ delivered: 1, failed: 1, gave_up: 1 });
  });

  it("runs each attempt in the job's log context: its log lines carry the job_id and the job event's trace_id", async () => {
    const seen: object[] = [];
    await dispatcher(204, undefined, seen).attempt(delivery(1));
    expect(seen).toEqual([expect.objectContaining({ job_id: 'j1', trace_id: '4bf92f3577b34da6a3ce929d0e0e4736' })]);
  });
});
