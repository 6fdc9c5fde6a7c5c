// @tf-background-services: runs on the six services of scripts/services.sh (see test/support/background-services.js).
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TranscodeFlowClient } from '@tf/client';
import { makeSampleClip } from '@tf/testing';
import { waitFor } from '../support/wait';
import {
  browserForTests,
  captureScreens,
  client,
  expectNoSeriousA11yViolations,
  signIn,
} from './support/console-harness';
import { keyOfNewTenant, uploadThroughApi } from './support/jobs';

const LONG_WAIT = { timeout: 300_000 };

// The jobs list in real Chromium on a tenant of its own: empty state, jobs appearing and advancing
// live (no reload), the failed job's code, filters (status, label, date) kept in the URL, cancel and
// retry through the page.
describe('console: jobs list', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-console-list-'));
  const admin = client();
  let tenantKey: string;
  let tenantApi: TranscodeFlowClient;
  const b = browserForTests();
  let good: string;
  let bad: string;
  let long: string;

  const row = (jobId: string) => b.page.locator(`[data-testid="job-row"][data-job-id="${jobId}"]`);
  const rowWithStatus = (jobId: string, status: string) =>
    b.page.locator(`[data-testid="job-row"][data-job-id="${jobId}"][data-status="${status}"]`);
  const listedIds = () =>
    b.page.locator('[data-testid="job-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-job-id')));

  beforeAll(async () => {
    ({ key: tenantKey } = await keyOfNewTenant(admin, 'console-list'));
    tenantApi = new TranscodeFlowClient({ apiKey: tenantKey });
    await makeSampleClip(join(dir, 'speech.mp4'), { width: 320, height: 240, durationS: 3 });
    await makeSampleClip(join(dir, 'long.mp4'), { width: 1280, height: 720, durationS: 60, tone: true });
    writeFileSync(join(dir, 'not-a-video.mp4'), Buffer.from('this is not a video, only text pretending'.repeat(50)));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows an empty tenant's list as empty, live", async () => {
    await signIn(b.page, tenantKey, '/jobs');
    await b.page.getByTestId('empty-state').waitFor();
    await expect(b.page.getByRole('heading', { name: 'No jobs yet' }).isVisible()).resolves.toBe(true);
    await b.page.locator('[data-testid="jobs-live"][data-live="true"]').waitFor();
    await captureScreens(b.page, 'jobs-empty');
    await expectNoSeriousA11yViolations(b.page);
  });

  it('shows new jobs and their progress as they happen, without a reload', async () => {
    // A marker on the window: gone if the page reloaded.
    await b.page.evaluate('window.__notReloaded = true');
    good = await uploadThroughApi(tenantKey, join(dir, 'speech.mp4'), { labels: 'console-e2e,speech' });
    bad = await uploadThroughApi(tenantKey, join(dir, 'not-a-video.mp4'), { labels: 'console-e2e-bad' });
    await row(good).waitFor(LONG_WAIT);
    await rowWithStatus(good, 'completed').waitFor(LONG_WAIT);
    await rowWithStatus(bad, 'failed').waitFor(LONG_WAIT);
    await expect(row(bad).getByTestId('job-error-code').textContent()).resolves.toBe('NOT_MEDIA');
    await expect(row(good).getByTestId('job-progress').getAttribute('value')).resolves.toBe('100');
    expect(await b.page.evaluate('window.__notReloaded')).toBe(true);
    // What the page shows is what the API says.
    expect((await tenantApi.getJob(good)).status).toBe('completed');
    await captureScreens(b.page, 'jobs-list');
    await expectNoSeriousA11yViolations(b.page);
  });

  it('filters by status, label and date, keeping the filters in the URL', async () => {
    await b.page.getByLabel('Status').selectOption('failed');
    await b.page.getByRole('button', { name: 'Apply filters' }).click();
    await b.page.waitForURL((url) => url.searchParams.get('status') === 'failed');
    await waitFor(
      'only the failed job listed',
      async () => JSON.stringify(await listedIds()) === JSON.stringify([bad]),
    );

    await b.page.getByLabel('Status').selectOption('');
    await b.page.getByLabel('Label').fill('console-e2e');
    await b.page.getByRole('button', { name: 'Apply filters' }).click();
    await b.page.waitForURL(
      (url) => url.searchParams.get('label') === 'console-e2e' && !url.searchParams.has('status'),
    );
    await waitFor(
      'only the labelled job listed',
      async () => JSON.stringify(await listedIds()) === JSON.stringify([good]),
    );

    // Created before yesterday ended: none of today's jobs.
    const yesterday = new Date(Date.now() - 86_400_000);
    const day = (d: Date) =>
      `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    await b.page.getByLabel('Label').fill('');
    await b.page.getByLabel('Created to').fill(day(yesterday));
    await b.page.getByRole('button', { name: 'Apply filters' }).click();
    await b.page.getByRole('heading', { name: 'No job matches these filters' }).waitFor();
    await captureScreens(b.page, 'jobs-filtered-empty');

    // A link with the filters opens them (from today: both jobs).
    await b.page.goto(`/jobs?from=${day(new Date())}`);
    await waitFor("today's two jobs listed", async () => (await listedIds()).length === 2);
    await expect(b.page.getByLabel('Created from').inputValue()).resolves.toBe(day(new Date()));
  });

  it('retries a failed job and cancels a running one from the list', async () => {
    await b.page.goto('/jobs');
    await row(bad).getByRole('button', { name: 'Retry not-a-video.mp4' }).click();
    await waitFor('the retry', async () => (await tenantApi.getJob(bad)).attempt === 2, LONG_WAIT.timeout);
    // The retried validation fails again, with the same code, and the list follows it live.
    await waitFor(
      'the retried job to fail again',
      async () => (await tenantApi.getJob(bad)).status === 'failed',
      LONG_WAIT.timeout,
    );
    await rowWithStatus(bad, 'failed').waitFor(LONG_WAIT);

    long = await uploadThroughApi(tenantKey, join(dir, 'long.mp4'), { target_resolutions: '720p,480p,360p' });
    await row(long).getByRole('button', { name: 'Cancel long.mp4' }).click(LONG_WAIT);
    await rowWithStatus(long, 'cancelled').waitFor(LONG_WAIT);
    expect((await tenantApi.getJob(long)).status).toBe('cancelled');
    await expect(row(long).getByRole('button', { name: 'Cancel long.mp4' }).count()).resolves.toBe(0);
    await captureScreens(b.page, 'jobs-actions');
  });
});
