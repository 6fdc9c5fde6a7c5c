import { Topics } from '@tf/contracts';
import { AvroCodec } from '@tf/messaging';
import { randomUUID } from 'node:crypto';
import { ServiceProcess, startTsProcess } from '../support/processes';
import { waitFor } from '../support/wait';
import { NotifierHarness, videoCompleted } from './notifier-harness';
import { startWebhookReceiver } from './webhook-receiver';

// A replica killed in the middle of a POST: its claim committed before the POST, so the row comes due
// again when the lease ends and another replica retries it; the abandoned attempt stays on record.
describe('notifier: a replica dying mid-POST', () => {
  const run = randomUUID().slice(0, 8);
  const processes: ServiceProcess[] = [];
  let h: NotifierHarness;

  beforeAll(async () => {
    h = await new NotifierHarness().connect();
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill())); // graceful: the survivor leaves the consumer group at once
    await h?.close();
  });

  it('is retried by another replica after the lease, and the abandoned attempt is recorded', async () => {
    // The first request hangs (never answered); the retry is accepted.
    const hook = await startWebhookReceiver((n) => (n === 1 ? null : 200));
    try {
      // A lease far shorter than the timeout: the doomed replica is still waiting when the lease ends.
      const doomed = startTsProcess('apps/notifier/src/main.ts', {
        TF_HTTP_PORT: '0',
        TF_WEBHOOK_TIMEOUT_MS: '600000',
        TF_WEBHOOK_LEASE_MS: '2000',
      });
      processes.push(doomed);
      await doomed.waitForOutput(/joined group tf-notifier/);
      const jobId = `itest-notify-${run}-crash`;
      const event = videoCompleted(jobId, hook.url);
      await h.publishAndWaitConsumed(Topics.VideoCompleted, jobId, [
        await new AvroCodec().encode('VideoCompleted', event),
      ]);

      await waitFor('the first POST to arrive', async () => hook.requests.length === 1);
      await doomed.kill('SIGKILL');
      const claimed = await h.delivery(event.event_id);
      expect(claimed).toMatchObject({ status: 'pending', attempts: 1 });
      expect(await h.attemptsOf(claimed.id)).toMatchObject([
        { attempt: 1, duration_ms: null, status_code: null, error: null },
      ]);

      const survivor = startTsProcess('apps/notifier/src/main.ts', { TF_HTTP_PORT: '0' });
      processes.push(survivor);
      const delivered = await h.waitForStatus(event.event_id, 'delivered');
      expect(delivered).toMatchObject({ attempts: 2, last_status_code: 200 });
      expect(hook.requests.map((r) => r.headers['tf-event-id'])).toEqual([event.event_id, event.event_id]);
      const attempts = await h.attemptsOf(claimed.id);
      expect(attempts.map((a) => [a.attempt, a.status_code])).toEqual([
        [1, null],
        [2, 200],
      ]);
      expect(attempts[0]).toMatchObject({ duration_ms: null, error: expect.stringMatching(/^abandoned/) });
    } finally {
      await hook.close();
    }
  });
});
