// @tf-background-services: runs on the six services of scripts/services.sh (see test/support/background-services.js).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  apiKey,
  browserForTests,
  captureScreens,
  client,
  consoleUrl,
  expectNoSeriousA11yViolations,
  signIn,
} from './support/console-harness';

const CHAIN = ['tf-validator', 'tf-transcoder', 'tf-transcriber', 'tf-hls', 'tf-gateway-jobs', 'tf-notifier'];

// /operator in real Chromium on the running pipeline: every group of the chain with its members, lag,
// throughput and dead letters, and a job the validator just failed among the stage's recent failures;
// a tenant's admin is refused with the API's code.
describe('console: operator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-console-operator-'));
  const b = browserForTests({ key: apiKey, path: '/operator' });

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows each stage of the chain with its replicas, and a job the validator failed', async () => {
    const notMedia = join(dir, 'not-media.mp4');
    writeFileSync(notMedia, 'this is not a video\n'.repeat(64));
    const { job_id } = await client().uploadFile(notMedia, { targetResolutions: ['360p'] });
    expect((await client().waitForJob(job_id)).status).toBe('failed');

    const cards = b.page.getByTestId('stage-card');
    await cards.first().waitFor();
    expect(await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-group')))).toEqual(CHAIN);
    const validator = b.page.locator('[data-testid="stage-card"][data-group="tf-validator"]');
    // The six services run: one validator replica, named by its client id, holding partitions.
    await expect(validator.getByTestId('stage-replicas').textContent()).resolves.toBe('1');
    await expect(validator.getByTestId('stage-members').textContent()).resolves.toMatch(
      /validator-.+-\d+.*\d+ partitions?/,
    );
    // The page reads again every few seconds: the failed job shows with its code.
    const failure = validator.locator(`[data-testid="stage-failures"] [data-job-id="${job_id}"]`);
    await failure.waitFor({ timeout: 60_000 });
    await expect(failure.textContent()).resolves.toContain('NOT_MEDIA');
    expect(Number(await validator.getByTestId('stage-failed').textContent())).toBeGreaterThanOrEqual(1);
    await expect(b.page.getByTestId('stage-throughput').first().textContent()).resolves.toMatch(/^\d+(\.\d+)?$/);
    await captureScreens(b.page, 'operator');
    await expectNoSeriousA11yViolations(b.page);
  });

  it("answers a tenant's admin with the API's code", async () => {
    const tenant = `console-ops-${randomBytes(4).toString('hex')}`;
    const key = (await client().createKey({ tenant_id: tenant, scopes: ['admin'], name: 'tenant admin' })).key;
    const other = await b.browser.newContext({ baseURL: consoleUrl });
    try {
      const page = await other.newPage();
      await signIn(page, key, '/operator');
      await expect(page.getByTestId('error-code').textContent()).resolves.toBe('PLATFORM_ADMIN_REQUIRED');
      await captureScreens(page, 'operator-refused');
      await expectNoSeriousA11yViolations(page);
    } finally {
      await other.close();
    }
  });
});
