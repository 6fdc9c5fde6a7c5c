// @tf-background-services: runs on the six services of scripts/services.sh (see test/support/background-services.js).
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeSampleClip } from '@tf/testing';
import { restartBackground, signalBackground } from '../chaos/chaos-harness';
import { client, ensureServicesUp } from '../pipeline/pipeline-harness';
import { alertWebhookPort, alertmanagerAlerts, promQuery } from '../support/monitoring';
import { waitFor } from '../support/wait';

/** What Alertmanager's webhook receiver POSTs (one notification per alert group). */
type Notification = { status: 'firing' | 'resolved'; alerts: { status: string; labels: Record<string, string> }[] };

/** Alertmanager's webhook receiver (deploy/alertmanager/alertmanager.yml) on the stack's port. */
async function startAlertReceiver(): Promise<{ received: Notification[]; close: () => Promise<void> }> {
  const received: Notification[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/alerts') received.push(JSON.parse(body) as Notification);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(alertWebhookPort(), '127.0.0.1', resolve);
  });
  return { received, close: () => new Promise((r) => server.close(() => r())) };
}

const ALERT = 'TfConsumerLagGrowing';
const GROUP = 'tf-transcoder';
const notified = (received: Notification[], status: 'firing' | 'resolved') =>
  received.some((n) =>
    n.alerts.some((a) => a.status === status && a.labels.alertname === ALERT && a.labels.group === GROUP),
  );

// The alerting chain proven live on the local stack: the transcoder stops, jobs pile up in its consumer group,
// the gateway's lag collector exports the lag, Prometheus (scraping every 5 s) fires TfConsumerLagGrowing after
// its 2 minutes, Alertmanager shows it and posts it to the webhook receiver; the transcoder comes back, drains
// the lag, and the alert resolves (a `resolved` notification). No timing is asserted: every wait is a poll.
describe('alerting, live', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-alert-live-'));
  let receiver: Awaited<ReturnType<typeof startAlertReceiver>>;
  let transcoderStopped = false;

  beforeAll(async () => {
    ensureServicesUp();
    receiver = await startAlertReceiver();
  });

  afterAll(async () => {
    if (transcoderStopped) await restartBackground('transcoder');
    await receiver?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a stopped transcoder pages TfConsumerLagGrowing through Alertmanager, and its return resolves it', async () => {
    // Prometheus scrapes the gateway and sees the transcoder group's lag (0 while it keeps up).
    await waitFor(
      `Prometheus to scrape tf_kafka_consumer_lag_messages{group="${GROUP}"}`,
      async () => (await promQuery(`tf_kafka_consumer_lag_messages{group="${GROUP}"}`)).length > 0,
      120_000,
      1000,
    );
    // Lag an earlier file left while the services were down may still page: wait until it has drained.
    await waitFor(
      `${ALERT} for ${GROUP} to be clear before the transcoder stops`,
      async () => !(await alertmanagerAlerts(ALERT)).some((a) => a.labels.group === GROUP),
      300_000,
      2000,
    );
    receiver.received.length = 0;

    await signalBackground('transcoder', 'SIGTERM');
    transcoderStopped = true;
    const api = client();
    const clip = await makeSampleClip(join(dir, 'clip.mp4'), { width: 320, height: 240, durationS: 2, tone: true });
    const jobs: string[] = [];
    for (let i = 0; i < 3; i++)
      jobs.push((await api.uploadFile(clip, { targetResolutions: ['360p'], enableTranscription: false })).job_id);

    const firing = await waitFor(
      `Alertmanager to show ${ALERT} for ${GROUP}`,
      async () =>
        (await alertmanagerAlerts(ALERT)).find((a) => a.labels.group === GROUP && a.status.state === 'active'),
      600_000,
      2000,
    );
    expect(firing.labels).toEqual(expect.objectContaining({ alertname: ALERT, group: GROUP, severity: 'warning' }));
    const lag = await promQuery(`tf:kafka_consumer_lag_messages:sum_by_group{group="${GROUP}"}`);
    expect(Number(lag[0]?.value[1])).toBeGreaterThanOrEqual(jobs.length);
    await waitFor(
      `the webhook receiver to get ${ALERT} firing`,
      async () => notified(receiver.received, 'firing'),
      120_000,
      500,
    );

    await restartBackground('transcoder');
    transcoderStopped = false;
    const done = await Promise.all(jobs.map((id) => api.waitForJob(id)));
    expect(done.map((j) => j.status)).toEqual(jobs.map(() => 'completed'));
    await waitFor(
      `Alertmanager to drop ${ALERT} for ${GROUP}`,
      async () => !(await alertmanagerAlerts(ALERT)).some((a) => a.labels.group === GROUP),
      300_000,
      2000,
    );
    await waitFor(
      `the webhook receiver to get ${ALERT} resolved`,
      async () => notified(receiver.received, 'resolved'),
      180_000,
      500,
    );
  }, 1_200_000);
});
