// @tf-background-services: runs on the six services of scripts/services.sh (see test/support/background-services.js).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TranscodeFlowClient } from '@tf/client';
import { startWebhookReceiver } from '../pipeline/pipeline-harness';
import { waitFor } from '../support/wait';
import {
  browserForTests,
  captureScreens,
  client,
  expectNoSeriousA11yViolations,
  signIn,
} from './support/console-harness';

// /admin/webhooks in real Chromium, signed in with a fresh tenant's admin key: empty states, an endpoint
// created with its secret shown once, the secret rotated, and the delivery of a failed job's webhook in
// the delivery log.
describe('console: webhooks', () => {
  const tenant = `console-hooks-${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'tf-console-hooks-'));
  const b = browserForTests();
  let key: string;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    key = (await client().createKey({ tenant_id: tenant, scopes: ['admin'], name: 'console webhooks e2e' })).key;
    receiver = await startWebhookReceiver();
    await signIn(b.page, key, '/admin/webhooks');
  });
  afterAll(async () => {
    await receiver?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows a new tenant its empty endpoints and delivery log', async () => {
    await b.page.getByRole('heading', { name: 'No endpoints' }).waitFor();
    await b.page.getByRole('heading', { name: 'No deliveries yet' }).waitFor();
    await captureScreens(b.page, 'admin-webhooks-empty');
    await expectNoSeriousA11yViolations(b.page);
  });

  it('adds an endpoint and shows its signing secret once, then rotates it', async () => {
    await b.page.getByLabel('URL').fill(receiver.url);
    await b.page.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = (await b.page.getByTestId('shown-once-value').textContent()) ?? '';
    expect(secret).toMatch(/^whsec_/);
    const row = b.page.locator(`[data-testid="endpoint-row"][data-endpoint-url="${receiver.url}"]`);
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('job.failed');

    await row.getByRole('button', { name: `Rotate the secret of ${receiver.url}` }).click();
    await b.page.getByTestId('shown-once').getByText('New signing secret').waitFor();
    const next = (await b.page.getByTestId('shown-once-value').textContent()) ?? '';
    expect(next).toMatch(/^whsec_/);
    expect(next).not.toBe(secret);
    // The list reloads after the rotation: the row shows when its secret was rotated.
    await row.getByText('never').waitFor({ state: 'detached' });
  });

  it("lists the delivery of a failed job's webhook", async () => {
    const notMedia = join(dir, 'not-media.mp4');
    writeFileSync(notMedia, 'this is not a video\n'.repeat(64));
    const api = new TranscodeFlowClient({ apiKey: key });
    const { job_id } = await api.uploadFile(notMedia, { targetResolutions: ['360p'] });
    expect((await api.waitForJob(job_id)).status).toBe('failed');
    await waitFor('the job.failed webhook at the receiver', async () =>
      receiver.received.some((r) => r.body.includes(job_id)),
    );
    const row = b.page.locator(`[data-testid="delivery-row"][data-job-id="${job_id}"]`);
    await waitFor(
      'the delivery in the log',
      async () => {
        await b.page.getByRole('button', { name: 'Refresh' }).click();
        return (
          (await row
            .getByTestId('delivery-status')
            .textContent({ timeout: 2000 })
            .catch(() => null)) === 'delivered'
        );
      },
      60_000,
      1_000,
    );
    await expect(row.textContent()).resolves.toContain('job.failed');
    await captureScreens(b.page, 'admin-webhooks');
    await expectNoSeriousA11yViolations(b.page);
  });
});
