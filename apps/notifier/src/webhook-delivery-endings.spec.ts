import type { KafkaAvroContext } from '@tf/messaging';
import { metricsRegistry } from '@tf/observability';
import type { DataSource, EntityManager } from 'typeorm';
import type { WebhookConfig } from './notifier.config';
import { WebhookDeliveryLoop } from './webhook-delivery.loop';
import type { WebhookDeliveryRecorder } from './webhook-delivery.recorder';
import type { DeliveriesChanged, WebhookDeliveryRepository } from './webhook-delivery.repository';
import type { WebhookDispatcher } from './webhook-dispatcher.service';
import { WebhookEventsHandler } from './webhook-events.handler';
import type { QueuedDeliveries, WebhookNotificationService } from './webhook-notification.service';

// The deliveries that end without the dispatcher: failed at creation (an unusable URL) and abandoned when the
// replica of their last attempt died. Both count in tf_webhook_deliveries_total like the dispatcher's endings.
async function endings(): Promise<Record<string, number>> {
  const metric = await metricsRegistry.getSingleMetric('tf_webhook_deliveries_total')!.get();
  return Object.fromEntries(metric.values.map((v) => [String(v.labels.outcome), v.value]));
}

async function counted(run: () => Promise<unknown>): Promise<Record<string, number>> {
  const before = await endings();
  await run();
  const after = await endings();
  return Object.fromEntries(['delivered', 'failed', 'gave_up'].map((o) => [o, (after[o] ?? 0) - (before[o] ?? 0)]));
}

const tx = {} as EntityManager;

describe('webhook deliveries that end without an attempt', () => {
  const handler = (queued: QueuedDeliveries, firstTime = true) => {
    const notifications = { completed: async () => queued, failed: async () => queued };
    const ctx = {
      processOnce: async (apply: (tx: EntityManager) => Promise<void>) => {
        if (firstTime) await apply(tx);
        return firstTime;
      },
    } as unknown as KafkaAvroContext;
    const events = new WebhookEventsHandler(notifications as unknown as WebhookNotificationService);
    return { events, ctx };
  };

  it('counts a delivery created already failed (unusable URL) as failed, once its event was applied', async () => {
    const { events, ctx } = handler({ created: 3, failedAtOnce: 2 });
    expect(await counted(() => events.onVideoCompleted({} as never, ctx))).toEqual({
      delivered: 0,
      failed: 2,
      gave_up: 0,
    });
    const again = handler({ created: 3, failedAtOnce: 2 }, false);
    expect(await counted(() => again.events.onJobFailed({ spec: {} } as never, again.ctx))).toEqual({
      delivered: 0,
      failed: 0,
      gave_up: 0,
    });
  });

  it('counts the rows a claim gives up on (their last attempt never got a result) as gave_up', async () => {
    const deliveries = {
      claimDue: async (_limit: number, _lease: number, _max: number, onExhausted: DeliveriesChanged) => {
        await onExhausted(tx, ['a', 'b']);
        return [];
      },
    } as unknown as WebhookDeliveryRepository;
    const recorded: string[][] = [];
    const recorder = { record: async (_tx: EntityManager, ids: string[]) => void recorded.push(ids) };
    const loop = new WebhookDeliveryLoop(
      { options: { url: 'postgres://unused' } } as unknown as DataSource,
      deliveries,
      {} as WebhookDispatcher,
      recorder as unknown as WebhookDeliveryRecorder,
      { batchSize: 10, leaseMs: 1_000, retry: { maxAttempts: 3 }, pollIntervalMs: 1_000 } as unknown as WebhookConfig,
    );
    const attemptDueBatch = (loop as unknown as { attemptDueBatch: () => Promise<number> }).attemptDueBatch.bind(loop);
    expect(await counted(attemptDueBatch)).toEqual({ delivered: 0, failed: 0, gave_up: 2 });
    expect(recorded).toEqual([['a', 'b']]);
  });
});
