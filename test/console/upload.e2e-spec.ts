// @tf-background-services: runs on the six services of scripts/services.sh (see test/support/background-services.js).
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page, Request } from 'playwright-core';
import { Buckets, ObjectStorage } from '@tf/storage';
import { makeSampleClip } from '@tf/testing';
import { sha256OfStream } from '../uploads/direct-upload-client';
import {
  apiKey,
  browserForTests,
  captureScreens,
  consoleUrl,
  expectNoSeriousA11yViolations,
  signIn,
} from './support/console-harness';

// The upload page in real Chromium against the real pipeline: files dropped on the page go to storage
// through the direct upload (a single presigned PUT, or parts), each with its progress bar, and the
// jobs they become advance live on the page; an upload cut off by a reload resumes, sending only the
// parts storage lacks (the PUTs the page makes are counted).

const MIB = 1024 * 1024;

/** The gateway's answer to GET `path` with the local admin key. */
async function apiGet<T>(path: string): Promise<T> {
  const res = await fetch(`${consoleUrl}${path}`, { headers: { 'X-API-Key': apiKey } });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

/** The row of a file on the page. */
const row = (page: Page, file: string) => page.locator(`[data-testid="upload-row"][data-file="${file}"]`);

/** Drops files on the drop zone as a person's drag and drop does (a DataTransfer holding Files). */
async function dropFiles(page: Page, files: Array<{ name: string; type: string; bytes: Buffer }>): Promise<void> {
  const payload = files.map((f) => ({ name: f.name, type: f.type, b64: f.bytes.toString('base64') }));
  // Browser-side code as text: this file is compiled for Node (no DOM types).
  const dataTransfer = await page.evaluateHandle(`(() => {
    const dt = new DataTransfer();
    for (const f of ${JSON.stringify(payload)}) {
      const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], f.name, { type: f.type }));
    }
    return dt;
  })()`);
  await page.getByTestId('drop-zone').dispatchEvent('dragover', { dataTransfer });
  await page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer });
}

/** Part PUTs to storage (presigned UploadPart URLs carry partNumber), by part number. */
const partNumberOf = (request: Request): number | null => {
  if (request.method() !== 'PUT') return null;
  const n = new URL(request.url()).searchParams.get('partNumber');
  return n === null ? null : Number(n);
};

describe('console: upload', () => {
  const b = browserForTests();
  let dir: string;
  const storage = new ObjectStorage();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tf-console-upload-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('uploads a dropped clip with speech and a broken file: a progress bar each, the stages advance live to completed, the broken one fails with its code', async () => {
    const { page } = b;
    const clip = await makeSampleClip(join(dir, 'speech.mp4'), { width: 640, height: 360, durationS: 6 });
    const label = `e2e-upload-${Date.now()}`;
    await signIn(page, apiKey, '/upload');
    await page.getByRole('heading', { name: 'Upload' }).waitFor();
    await expect(page.getByTestId('no-uploads').isVisible()).resolves.toBe(true);
    await captureScreens(page, 'upload-empty');
    await expectNoSeriousA11yViolations(page);

    // The options: 360p only (720p off), HLS and the transcript in English, labels, high priority.
    await page.getByRole('checkbox', { name: '720p' }).uncheck();
    await page.getByLabel('Spoken language').selectOption('en');
    await page.getByLabel('Labels').fill(`${label}, console`);
    await page.getByLabel('Priority').selectOption('high');

    await dropFiles(page, [
      { name: 'speech.mp4', type: 'video/mp4', bytes: await readFile(clip) },
      { name: 'broken.mp4', type: 'video/mp4', bytes: randomBytes(64 * 1024) },
    ]);
    await expect(page.getByTestId('upload-row').count()).resolves.toBe(2);
    await expect(
      row(page, 'speech.mp4').getByRole('progressbar', { name: 'Upload of speech.mp4' }).count(),
    ).resolves.toBe(1);
    await expect(
      row(page, 'broken.mp4').getByRole('progressbar', { name: 'Upload of broken.mp4' }).count(),
    ).resolves.toBe(1);

    // Sent: the progress bar is full and the row shows the job it became, with its stages.
    const speech = row(page, 'speech.mp4');
    await speech.getByTestId('upload-job-link').waitFor({ timeout: 60_000 });
    await expect(speech.getByTestId('upload-progress').getAttribute('value')).resolves.toBe('100');
    const jobId = (await speech.getByTestId('upload-job').getAttribute('data-job-id'))!;
    // Every state the page shows the job in, recorded as it changes (the live updates, not a reload).
    await speech.getByTestId('job-status').waitFor();
    await page.evaluate(`(() => {
      const seen = [];
      window.seenStates = seen;
      const node = document.querySelector('[data-testid="upload-row"][data-file="speech.mp4"] [data-testid="upload-job"]');
      const record = () => {
        const status = node.querySelector('[data-testid="job-status"]')?.textContent ?? '';
        const stages = [...node.querySelectorAll('[data-testid^="stage-"]')]
          .map((s) => s.getAttribute('data-testid').slice(6) + ':' + s.getAttribute('data-status'))
          .join(' ');
        const state = status + ' | ' + stages;
        if (seen[seen.length - 1] !== state) seen.push(state);
      };
      record();
      new MutationObserver(record).observe(node, { subtree: true, childList: true, attributes: true, characterData: true });
    })()`);
    await captureScreens(page, 'upload-progress');

    await page.waitForSelector(
      `[data-testid="upload-row"][data-file="speech.mp4"] [data-testid="job-status"]:text-is("completed")`,
      { timeout: 300_000 },
    );
    const seen = await page.evaluate<string[]>('window.seenStates');
    // The page went through the pipeline's stages: a state with a stage still to finish, then all done.
    expect(seen.some((s) => /:(pending|queued|running)/.test(s))).toBe(true);
    const final = seen[seen.length - 1];
    expect(final).toMatch(/^completed \| /);
    expect(final).toMatch(/validate:completed/);
    expect(final).toMatch(/transcode:completed/);
    expect(final).toMatch(/transcribe:completed/);
    expect(final).not.toMatch(/:(pending|queued|running|failed)/);

    // The job has the options the page sent.
    const job = await apiGet<{ labels: string[]; outputs: Array<{ kind: string; label: string }> }>(
      `/api/v1/jobs/${jobId}`,
    );
    expect(job.labels).toEqual([label, 'console']);
    const renditions = job.outputs.filter((o) => o.kind === 'rendition').map((o) => o.label);
    expect(renditions).toEqual(['360p']);
    expect(job.outputs.some((o) => o.kind === 'transcript')).toBe(true);

    // The broken file became a job too, which failed: its code shows on the page.
    const broken = row(page, 'broken.mp4');
    await broken.locator('[data-testid="job-status"]:text-is("failed")').waitFor({ timeout: 120_000 });
    await expect(broken.getByTestId('job-error-code').textContent()).resolves.toMatch(/^[A-Z][A-Z_]+$/);

    await captureScreens(page, 'upload');
    await expectNoSeriousA11yViolations(page);
  });

  it('resumes an upload cut off by a reload: only the parts storage lacks are sent again, and the stored file is the original', async () => {
    const { page } = b;
    // 36 MB (constant 36 Mbit/s for 8 s): three parts of the gateway's 16 MiB plan.
    const path = await makeSampleClip(join(dir, 'large.mp4'), {
      width: 1280,
      height: 720,
      durationS: 8,
      videoBitrate: '36M',
    });
    const bytes = (await stat(path)).size;
    expect(Math.ceil(bytes / (16 * MIB))).toBe(3);

    await signIn(page, apiKey, '/upload');
    await page.getByRole('checkbox', { name: '720p' }).uncheck();
    await page.getByRole('checkbox', { name: 'Transcript and captions' }).uncheck();

    // The first page: storage answers part 1; parts 2 and 3 are held back until the page reloads.
    const firstPuts: number[] = [];
    const onFirst = (r: Request) => {
      const n = partNumberOf(r);
      if (n !== null) firstPuts.push(n);
    };
    page.on('request', onFirst);
    await page.route(/partNumber=/, async (route) => {
      if (partNumberOf(route.request()) === 1) await route.continue();
      // Others: never answered (the reload drops them).
    });
    const partOne = page.waitForResponse((r) => partNumberOf(r.request()) === 1);
    await page.getByTestId('file-input').setInputFiles(path);
    expect((await partOne).status()).toBe(200);
    // The browser noted part 1 (its ETag) for a resume.
    const rememberedUploads = async () =>
      JSON.parse((await page.evaluate<string | null>("localStorage.getItem('tf.uploads')")) ?? '[]') as Array<{
        upload_id: string;
        part_count: number;
        parts: Record<string, string>;
      }>;
    await page.waitForFunction(
      "(JSON.parse(localStorage.getItem('tf.uploads') ?? '[]')[0]?.parts ?? {})['1'] !== undefined",
    );
    const [remembered, ...others] = await rememberedUploads();
    expect(others).toEqual([]);
    expect(remembered.part_count).toBe(3);
    expect(firstPuts.sort()).toEqual([1, 2, 3]);
    const before = await apiGet<{ status: string; missing_parts: number[] }>(`/api/v1/uploads/${remembered.upload_id}`);
    expect(before).toMatchObject({ status: 'pending', missing_parts: [2, 3] });

    // Reload: the page lists the unfinished upload; the same file picked again resumes it.
    page.off('request', onFirst);
    await page.reload();
    // Only now: unrouting earlier would let the held parts go on to storage.
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    const reloaded = await apiGet<{ missing_parts: number[] }>(`/api/v1/uploads/${remembered.upload_id}`);
    expect(reloaded.missing_parts).toEqual([2, 3]);
    const unfinished = page.locator('[data-testid="unfinished-upload"][data-file="large.mp4"]');
    await unfinished.waitFor();
    await expect(unfinished.textContent()).resolves.toContain('1 of 3 parts stored');
    await captureScreens(page, 'upload-unfinished');
    await expectNoSeriousA11yViolations(page);

    const resumedPuts: number[] = [];
    const otherPuts: string[] = [];
    page.on('request', (r) => {
      const n = partNumberOf(r);
      if (n !== null) resumedPuts.push(n);
      else if (r.method() === 'PUT') otherPuts.push(r.url());
    });
    await page.getByTestId('file-input').setInputFiles(path);
    const large = row(page, 'large.mp4');
    await large.getByTestId('upload-job-link').waitFor({ timeout: 120_000 });
    await expect(large.getByTestId('upload-resumed').textContent()).resolves.toContain('1 of 3 parts');
    expect(resumedPuts.sort()).toEqual([2, 3]);
    expect(otherPuts).toEqual([]);
    await expect(page.locator('[data-testid="unfinished-upload"]').count()).resolves.toBe(0);
    expect(await rememberedUploads()).toEqual([]);

    // One upload, completed into a job, whose stored source is the file byte for byte.
    const after = await apiGet<{ status: string; job_id: string }>(`/api/v1/uploads/${remembered.upload_id}`);
    expect(after.status).toBe('completed');
    const jobId = (await large.getByTestId('upload-job').getAttribute('data-job-id'))!;
    expect(after.job_id).toBe(jobId);
    const [key] = await storage.listKeys(Buckets.raw, `${jobId}/`);
    const stored = await sha256OfStream(await storage.client.getObject(Buckets.raw, key));
    expect(stored).toBe(await sha256OfStream(createReadStream(path)));
    await captureScreens(page, 'upload-resumed');
  });

  it("shows the API's refusal of a file on its row: its code and message", async () => {
    const { page } = b;
    await signIn(page, apiKey, '/upload');
    await page.getByLabel('Labels').fill('not a label');
    const small = join(dir, 'small.mp4');
    await writeFile(small, randomBytes(2048));
    await page.getByTestId('file-input').setInputFiles(small);
    const failed = page.locator('[data-testid="upload-row"][data-file="small.mp4"][data-state="failed"]');
    await failed.waitFor();
    await expect(failed.getByTestId('error-code').textContent()).resolves.toBe('INVALID_LABEL');
    await expect(failed.getByTestId('error-message').textContent()).resolves.toContain('not a label');
    await captureScreens(page, 'upload-refused');
    await expectNoSeriousA11yViolations(page);
  });
});
