import { Topics } from '@tf/contracts';
import { AvroCodec } from '@tf/messaging';
import { randomUUID } from 'node:crypto';
import { ServiceProcess, startTsProcess } from '../support/processes';
import { NotifierHarness, videoCompleted } from './notifier-harness';
import { WebhookReceiver, startWebhookReceiver } from './webhook-receiver';

// The notifier as deployed (TF_WEBHOOK_ALLOW_PRIVATE_NETWORKS=false): a webhook URL that points inside
// the network, by IP or by a name that resolves there, is refused without a request, and the delivery
// fails at once with the reason (no retries: the destination will not change by waiting).
describe('notifier egress policy: no webhooks to private addresses (SSRF)', () => {
  const run = randomUUID().slice(0, 8);
  const codec = new AvroCodec();
  let notifier: ServiceProcess;
  let hook: WebhookReceiver;
  let h: NotifierHarness;

  beforeAll(async () => {
    h = await new NotifierHarness().connect();
    notifier = startTsProcess('apps/notifier/src/main.ts', {
      TF_HTTP_PORT: '0',
      TF_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false',
      TF_WEBHOOK_BASE_DELAY_MS: '200',
    });
    await notifier.waitForOutput(/webhook delivery loop started/);
    await notifier.waitForOutput(/joined group tf-notifier/);
    hook = await startWebhookReceiver(() => 200);
  });

  afterAll(async () => {
    await notifier?.kill();
    await hook?.close();
    await h?.close();
  });

  it.each([
    ['a loopback IP', (url: string) => url, /127\.0\.0\.1 is a private, loopback or link-local address/],
    [
      'a name that resolves to loopback',
      (url: string) => url.replace('127.0.0.1', 'localhost'),
      /localhost is this machine/,
    ],
    ['cloud metadata', () => 'http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254/],
  ])(
    'refuses %s: failed after one attempt, with the reason, and nothing reaches the address',
    async (_what, urlOf, reason) => {
      const jobId = `itest-egress-${run}-${randomUUID().slice(0, 4)}`;
      const event = videoCompleted(jobId, urlOf(hook.url));
      await h.publishAndWaitConsumed(Topics.VideoCompleted, jobId, [await codec.encode('VideoCompleted', event)]);
      const delivery = await h.waitForStatus(event.event_id, 'failed');
      expect(delivery.attempts).toBe(1);
      expect(delivery.last_error).toMatch(/^WEBHOOK_DESTINATION_FORBIDDEN: /);
      expect(delivery.last_error).toMatch(reason);
      expect(hook.requests).toHaveLength(0);
    },
  );
});
