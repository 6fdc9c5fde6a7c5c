// @tf-background-services: runs on the six services of scripts/services.sh (see test/support/background-services.js).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { makeSampleClip } from '@tf/testing';
import { makeTempDir, removeDir } from '../../libs/media/src/testing/lavfi-fixtures';
import { signPlaybackToken } from '../../apps/gateway/src/playback-links/playback-token';
import { localStackSecrets } from '../support/local-secrets';
import { startWebhookReceiver } from '../pipeline/pipeline-harness';
import {
  apiKey,
  browserForTests,
  captureScreens,
  client,
  consoleUrl,
  expectNoSeriousA11yViolations,
} from './support/console-harness';

// The job view and the embed page in real Chromium, on jobs the real pipeline processed: a clip with
// speech (espeak-ng) plays through hls.js (currentTime advances, no media error), switches quality,
// shows a caption cue, seeks from a transcript line; a bad file shows its error code; the embed page
// plays without a key and says when its link has expired.

interface VideoState {
  currentTime: number;
  error: number | null;
  height: number;
  activeCues: string[];
  fatal: string | null;
}

// Evaluated in the page (strings: the tests compile without the DOM's types).
const VIDEO = "document.querySelector('[data-testid=player-video]')";
const READ_STATE = `(() => {
  const v = ${VIDEO};
  const cues = [];
  for (const track of Array.from(v.textTracks)) for (const cue of Array.from(track.activeCues || [])) cues.push(cue.text);
  return {
    currentTime: v.currentTime,
    error: v.error ? v.error.code : null,
    height: v.videoHeight,
    activeCues: cues,
    fatal: document.querySelector('[data-testid=player]').getAttribute('data-fatal-error'),
  };
})()`;
const videoState = (page: Page): Promise<VideoState> => page.evaluate<VideoState>(READ_STATE);
const play = `void ${VIDEO}.play()`;

/** Waits until the player's state satisfies `ok` (fails at once on a media or fatal hls.js error). */
async function waitForVideo(page: Page, what: string, ok: (s: VideoState) => boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last: VideoState | undefined;
  while (Date.now() < deadline) {
    last = await videoState(page);
    if (last.error !== null || last.fatal !== null) throw new Error(`${what}: player error ${JSON.stringify(last)}`);
    if (ok(last)) return last;
    await page.waitForTimeout(200);
  }
  throw new Error(`${what}: not reached in time; last ${JSON.stringify(last)}`);
}

describe('console: a job and its embed page', () => {
  const b = browserForTests({ key: apiKey });
  let dir: string;
  let jobId: string;
  let badJobId: string;
  let hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    dir = await makeTempDir('tf-console-job-');
    hooks = await startWebhookReceiver();
    const clip = await makeSampleClip(join(dir, 'speech.mp4'), { width: 1280, height: 720, durationS: 12 });
    const bad = join(dir, 'not-a-video.mp4');
    await writeFile(bad, Buffer.from('this is a text file, not a video\n'.repeat(64)));
    const api = client();
    ({ job_id: jobId } = await api.uploadFile(clip, {
      targetResolutions: ['360p', '720p'],
      enableHls: true,
      enableTranscription: true,
      webhookUrl: hooks.url,
    }));
    ({ job_id: badJobId } = await api.uploadFile(bad, { targetResolutions: ['360p'] }));
  });
  afterAll(async () => {
    await hooks?.close();
    if (dir) await removeDir(dir);
  });

  it('shows the stages advancing live to completed, with each stage’s start, end and duration', async () => {
    await b.page.goto(`/jobs/${jobId}`);
    await b.page.getByRole('heading', { name: 'speech.mp4' }).waitFor();
    await b.page.getByTestId('job-status').filter({ hasText: 'completed' }).waitFor({ timeout: 240_000 });
    const rows = b.page.getByTestId('stage-row');
    const stages = await rows.evaluateAll((trs) =>
      trs.map((tr) => [tr.getAttribute('data-stage'), tr.getAttribute('data-status')]),
    );
    expect(stages).toEqual([
      ['upload', 'completed'],
      ['validate', 'completed'],
      ['transcode', 'completed'],
      ['package', 'completed'],
      ['transcribe', 'completed'],
    ]);
    // Every finished stage shows a duration, not a dash.
    for (const text of await rows.locator('td:last-child').allTextContents()) expect(text).toMatch(/\d+(\.\d)? s|min/);
  });

  it('plays the HLS stream: currentTime advances with no media error, quality switches, a caption cue shows', async () => {
    const page = b.page;
    await page.getByTestId('quality-select').waitFor();
    await page.evaluate(play);
    await waitForVideo(page, 'playing past 1 s', (s) => s.currentTime > 1);

    await page.getByLabel('Quality').selectOption({ label: '360p' });
    await waitForVideo(page, 'switched to 360p', (s) => s.height === 360);
    await page.getByLabel('Quality').selectOption({ label: '720p' });
    await waitForVideo(page, 'switched to 720p', (s) => s.height === 720);

    await page.getByLabel('Captions').selectOption({ index: 1 });
    await page.evaluate(`${VIDEO}.currentTime = 1; ${play}`);
    const withCue = await waitForVideo(page, 'a caption cue', (s) => s.activeCues.length > 0);
    expect(withCue.activeCues.join(' ').trim()).not.toBe('');
    await captureScreens(page, 'job');
    await expectNoSeriousA11yViolations(page);
  });

  it('seeks the player to a transcript line when it is clicked, and finds lines by search', async () => {
    const page = b.page;
    const lines = page.getByTestId('transcript-line');
    await lines.first().waitFor();
    expect(await lines.count()).toBeGreaterThan(1);
    const target = lines.last();
    const start = Number(await target.getAttribute('data-start'));
    expect(start).toBeGreaterThan(2);
    await page.evaluate(`${VIDEO}.pause(); ${VIDEO}.currentTime = 0`);
    await target.click();
    await waitForVideo(page, `seeked to ${start}`, (s) => s.currentTime >= start - 0.25 && s.currentTime < start + 3);

    const word = ((await target.textContent()) ?? '').replace(/^\d+:\d+\s*/, '').split(/\s+/)[0];
    await page.getByLabel('Search the transcript').fill(word);
    expect(await lines.count()).toBeGreaterThanOrEqual(1);
    for (const text of await lines.allTextContents()) expect(text.toLowerCase()).toContain(word.toLowerCase());
    await page.getByLabel('Search the transcript').fill('');
  });

  it('lists every output with a working download link, the thumbnails, and the webhook deliveries with redeliver', async () => {
    const page = b.page;
    const kinds = await page
      .getByTestId('output-row')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind')));
    expect(new Set(kinds)).toEqual(new Set(['rendition', 'hls', 'audio', 'thumbnail', 'transcript']));
    const hrefs = await page
      .getByRole('link', { name: /^Download / })
      .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs).toHaveLength(kinds.length);
    for (const href of hrefs) {
      const res = await page.request.get(href, { headers: { range: 'bytes=0-15' } });
      expect([href.split('?')[0], res.status()]).toEqual([href.split('?')[0], 206]);
    }
    const thumbs = page.getByTestId('thumbnails').getByRole('img');
    expect(await thumbs.count()).toBeGreaterThan(0);
    await page.waitForFunction(
      "Array.from(document.querySelectorAll('[data-testid=thumbnails] img')).every((i) => i.complete && i.naturalWidth > 0)",
    );

    const delivery = page.getByTestId('delivery-row').first();
    await delivery.waitFor();
    const before = hooks.received.length;
    await delivery.getByRole('button', { name: 'Redeliver' }).click();
    await page.getByTestId('redeliver-note').waitFor();
    const deadline = Date.now() + 60_000;
    while (hooks.received.length <= before && Date.now() < deadline) await page.waitForTimeout(250);
    expect(hooks.received.length).toBeGreaterThan(before);
    await captureScreens(page, 'job-outputs');
  });

  it('shows a bad file as failed with its error code, and nothing to play', async () => {
    const page = b.page;
    await page.goto(`/jobs/${badJobId}`);
    await page.getByTestId('job-status').filter({ hasText: 'failed' }).waitFor({ timeout: 120_000 });
    await expect(page.getByTestId('job-error-code').textContent()).resolves.toBe('NOT_MEDIA');
    expect(((await page.getByTestId('job-error-message').textContent()) ?? '').length).toBeGreaterThan(0);
    await page.getByTestId('player-none').waitFor();
    await page.getByTestId('transcript-none').waitFor();
    await captureScreens(page, 'job-failed');
    await expectNoSeriousA11yViolations(page);
  });

  it('embeds the player without a key: it plays in an iframe with quality and captions, and an expired link says so', async () => {
    const { playback } = await client().getJob(jobId);
    expect(playback).not.toBeNull();
    const token = new URL(playback!.url).pathname.split('/')[3];
    const embed = await b.browser.newContext({ baseURL: consoleUrl, viewport: { width: 1280, height: 900 } });
    try {
      const page = await embed.newPage();
      // In an iframe of another page (about:blank), as a site embedding it would.
      await page.setContent(
        `<main><h1>Host page</h1><iframe title="player" width="960" height="600" src="${consoleUrl}/embed/${jobId}?token=${token}"></iframe></main>`,
      );
      const frame = page.frameLocator('iframe[title=player]');
      await frame.getByTestId('quality-select').waitFor({ timeout: 30_000 });
      await frame.getByTestId('captions-select').waitFor();
      const inFrame = page.frame({ url: /\/embed\// })!;
      await inFrame.evaluate(play);
      const deadline = Date.now() + 60_000;
      let t = 0;
      while (Date.now() < deadline && t <= 1) {
        t = await inFrame.evaluate<number>(`${VIDEO}.currentTime`);
        await page.waitForTimeout(200);
      }
      expect(t).toBeGreaterThan(1);
      expect(
        await inFrame.evaluate("document.querySelector('[data-testid=player]').getAttribute('data-fatal-error')"),
      ).toBeNull();

      const direct = await embed.newPage();
      await direct.goto(`/embed/${jobId}?token=${token}`);
      await direct.getByTestId('quality-select').waitFor();
      await captureScreens(direct, 'embed');
      await expectNoSeriousA11yViolations(direct);

      const secret = localStackSecrets().TF_PLAYBACK_SECRET;
      const expired = signPlaybackToken(secret, jobId, new Date(Date.now() - 60_000));
      await direct.goto(`/embed/${jobId}?token=${expired}`);
      await direct.getByTestId('embed-expired').waitFor();
      await expect(direct.getByTestId('embed-expired').textContent()).resolves.toContain('PLAYBACK_TOKEN_EXPIRED');
      await captureScreens(direct, 'embed-expired');
      await expectNoSeriousA11yViolations(direct);
    } finally {
      await embed.close();
    }
  });
});
