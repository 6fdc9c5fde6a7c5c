// @tf-background-services: runs on the six services of scripts/services.sh (see test/support/background-services.js).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobView } from '@tf/client';
import { ObjectStorage, Buckets } from '@tf/storage';
import { makeSampleClip, SAMPLE_SENTENCES } from '@tf/testing';
import { parseSrt, parseVtt, wordErrorRate } from '@tf/transcription';
import { verifyWebhookSignature } from '../../apps/notifier/src/webhook-signature';
import { repoRoot } from '../support/processes';
import { waitFor } from '../support/wait';
import { client, decodeAll, ensureServicesUp, ffprobe, startWebhookReceiver, webhookSecret } from './pipeline-harness';

// The whole product on the real stack: gateway → validator → transcoder/transcriber → hls → gateway
// fan-in → notifier, on media made here with ffmpeg (testsrc2, sine) and espeak-ng (speech).
describe('pipeline end to end', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-e2e-'));
  const api = client();
  const storage = new ObjectStorage();
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  const byLabel = (job: JobView, kind: string) =>
    Object.fromEntries(job.outputs.filter((o) => o.kind === kind).map((o) => [o.label, o]));

  beforeAll(async () => {
    ensureServicesUp();
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('a 20 s 1080p clip with speech', () => {
    let job: JobView;
    let traceIds: string[];
    let tracedServices: string[];

    beforeAll(async () => {
      const clip = await makeSampleClip(join(dir, 'main-1080p.mp4'), { width: 1920, height: 1080, durationS: 20 });
      const { job_id } = await api.uploadFile(clip, { targetResolutions: ['360p', '720p'], webhookUrl: receiver.url });
      job = await api.waitForJob(job_id);
      // Services started by scripts/services.sh write their spans here (TF_OTEL_SPANS_FILE), rotated by
      // size (spans.jsonl.1 … .3 by default): the job's spans may straddle a rotation.
      const spanFiles = ['spans.jsonl.3', 'spans.jsonl.2', 'spans.jsonl.1', 'spans.jsonl'];
      const texts = await Promise.all(
        spanFiles.map((f) => readFile(join(repoRoot, '.stack/logs', f), 'utf8').catch(() => '')),
      );
      const spans = texts
        .join('\n')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { job_id: string | null; trace_id: string; service: string })
        .filter((s) => s.job_id === job_id);
      traceIds = [...new Set(spans.map((s) => s.trace_id))];
      tracedServices = [...new Set(spans.map((s) => s.service))].sort();
    });

    it('completes with every output: renditions, HLS, MP3, 5 thumbnails, 4 transcripts', () => {
      expect(job.status).toBe('completed');
      expect(Object.keys(byLabel(job, 'rendition')).sort()).toEqual(['360p', '720p']);
      expect(Object.keys(byLabel(job, 'hls'))).toContain('master');
      expect(Object.keys(byLabel(job, 'audio'))).toEqual(['mp3']);
      expect(Object.keys(byLabel(job, 'thumbnail')).sort()).toEqual([
        'thumb-1',
        'thumb-2',
        'thumb-3',
        'thumb-4',
        'thumb-5',
      ]);
      expect(Object.keys(byLabel(job, 'transcript')).sort()).toEqual(['json', 'srt', 'txt', 'vtt']);
      for (const output of job.outputs) expect(output.bytes).toBeGreaterThan(0);
    });

    it.each([
      ['360p', 640, 360],
      ['720p', 1280, 720],
    ])('%s is H.264 High + AAC at %ix%i and lasts 20 s', async (label, width, height) => {
      const facts = await ffprobe(byLabel(job, 'rendition')[label].url);
      const video = facts.streams.find((s) => s.codec_type === 'video')!;
      expect(video).toMatchObject({ codec_name: 'h264', profile: 'High', width, height });
      expect(facts.streams.find((s) => s.codec_type === 'audio')?.codec_name).toBe('aac');
      expect(Math.abs(facts.duration - 20)).toBeLessThan(0.5);
    });

    it('serves an HLS master over HTTP from the S3 server, and every variant decodes', async () => {
      const master = storage.publicUrl(Buckets.hls, `${job.job_id}/master.m3u8`);
      const text = await (await import('undici')).request(master).then((r) => r.body.text());
      expect(text).toMatch(/#EXT-X-STREAM-INF:.*BANDWIDTH=\d+/);
      expect(text).toMatch(/RESOLUTION=640x360/);
      expect(text).toMatch(/RESOLUTION=1280x720/);
      expect(text).toMatch(/CODECS="avc1\.[0-9a-f]{6},mp4a\.40\.2"/);
      expect(text).toMatch(/TYPE=SUBTITLES/);
      expect(await decodeAll(master)).toBe('');
      const facts = await ffprobe(master);
      expect(
        facts.streams
          .filter((s) => s.codec_type === 'video')
          .map((s) => s.height)
          .sort(),
      ).toEqual([360, 720]);
    });

    it('extracts a 192 kbps MP3', async () => {
      const facts = await ffprobe(byLabel(job, 'audio').mp3.url);
      const audio = facts.streams.find((s) => s.codec_type === 'audio')!;
      expect(audio.codec_name).toBe('mp3');
      expect(Number(audio.bit_rate)).toBe(192000);
    });

    it('makes 5 JPEG thumbnails 640 px wide', async () => {
      for (const thumb of Object.values(byLabel(job, 'thumbnail'))) {
        const facts = await ffprobe(thumb.url);
        expect(facts.streams[0]).toMatchObject({ codec_name: 'mjpeg', width: 640 });
      }
    });

    it('transcribes the speech (WER ≤ 30%) into SRT/VTT with monotonic timestamps inside the duration', async () => {
      const fetchText = async (label: string) =>
        (await import('undici')).request(byLabel(job, 'transcript')[label].url).then((r) => r.body.text());
      const wer = wordErrorRate(SAMPLE_SENTENCES.join(' '), await fetchText('txt'));
      console.log(`pipeline transcript WER: ${(wer * 100).toFixed(1)}%`);
      expect(wer).toBeLessThanOrEqual(0.3);
      for (const cues of [parseSrt(await fetchText('srt')), parseVtt(await fetchText('vtt'))]) {
        expect(cues.length).toBeGreaterThan(0);
        cues.forEach((c, i) => {
          expect(c.end).toBeGreaterThanOrEqual(c.start);
          expect(c.end).toBeLessThanOrEqual(20.05);
          if (i > 0) expect(c.start).toBeGreaterThanOrEqual(cues[i - 1].start);
        });
      }
      const json = JSON.parse(await fetchText('json'));
      expect(json).toMatchObject({ language: 'en' });
    });

    it('delivers exactly one correctly signed completion webhook', async () => {
      const mine = () => receiver.received.filter((r) => r.body.includes(job.job_id));
      await waitFor('the completion webhook', async () => mine().length > 0);
      // A second delivery, were there one, would come from the same notifier pass: give it the
      // time of another job's whole run before counting.
      const canary = await makeSampleClip(join(dir, 'canary.mp4'), {
        width: 320,
        height: 240,
        durationS: 1,
        tone: true,
      });
      const { job_id: canaryId } = await api.uploadFile(canary, {
        enableHls: false,
        enableTranscription: false,
        webhookUrl: receiver.url,
      });
      await api.waitForJob(canaryId);
      await waitFor('the canary webhook', async () => receiver.received.some((r) => r.body.includes(canaryId)));
      expect(mine()).toHaveLength(1);
      const [hook] = mine();
      expect(verifyWebhookSignature(webhookSecret, String(hook.headers['tf-signature']), hook.body)).toBe(true);
      expect(verifyWebhookSignature('not-the-secret', String(hook.headers['tf-signature']), hook.body)).toBe(false);
      const body = JSON.parse(hook.body);
      expect(body).toMatchObject({ type: 'video.completed', job_id: job.job_id });
      expect(hook.headers['idempotency-key']).toBe(body.event_id);
    });

    it("joins the job's spans from every service into one trace", () => {
      expect(traceIds).toHaveLength(1);
      expect(tracedServices).toEqual(
        expect.arrayContaining(['gateway', 'hls', 'transcoder', 'transcriber', 'validator']),
      );
    });

    it.each(['validator', 'transcoder', 'transcriber', 'hls'])(
      '%s writes JSON log lines carrying the job_id and its trace_id',
      async (app) => {
        const lines = (await readFile(join(repoRoot, `.stack/logs/${app}.log`), 'utf8'))
          .split('\n')
          .filter((l) => l.includes(job.job_id));
        const parsed = lines.map((l) => JSON.parse(l) as { job_id?: string; trace_id?: string });
        expect(parsed.length).toBeGreaterThan(0);
        expect(parsed.some((l) => l.job_id === job.job_id && l.trace_id === traceIds[0])).toBe(true);
      },
    );
  });

  describe('edge cases', () => {
    it('a portrait clip keeps its orientation: 360p is 360x640 and 720p 720x1280', async () => {
      const clip = await makeSampleClip(join(dir, 'portrait.mp4'), {
        width: 1080,
        height: 1920,
        durationS: 3,
        tone: true,
      });
      const { job_id } = await api.uploadFile(clip, {
        targetResolutions: ['360p', '720p'],
        enableTranscription: false,
      });
      const job = await api.waitForJob(job_id);
      expect(job.status).toBe('completed');
      const sizes = await Promise.all(
        job.outputs
          .filter((o) => o.kind === 'rendition')
          .map(async (o) => ffprobe(o.url).then((f) => f.streams.find((s) => s.codec_type === 'video')!)),
      );
      expect(sizes.map((s) => `${s.width}x${s.height}`).sort()).toEqual(['360x640', '720x1280']);
    });

    it('a clip without audio completes with no MP3 and no transcript', async () => {
      const clip = await makeSampleClip(join(dir, 'silent-video.mp4'), {
        width: 640,
        height: 360,
        durationS: 3,
        speech: false,
      });
      const { job_id } = await api.uploadFile(clip, { targetResolutions: ['360p'] });
      const job = await api.waitForJob(job_id);
      expect(job.status).toBe('completed');
      expect(job.outputs.filter((o) => o.kind === 'audio' || o.kind === 'transcript')).toEqual([]);
      expect(job.outputs.filter((o) => o.kind === 'rendition').map((o) => o.label)).toEqual(['360p']);
      expect(job.outputs.some((o) => o.kind === 'hls')).toBe(true);
    });

    it('a source smaller than 720p skips 720p, and the status says so', async () => {
      const clip = await makeSampleClip(join(dir, 'small.mp4'), { width: 640, height: 360, durationS: 3, tone: true });
      const { job_id } = await api.uploadFile(clip, {
        targetResolutions: ['360p', '720p'],
        enableTranscription: false,
      });
      const job = await api.waitForJob(job_id);
      expect(job.status).toBe('completed');
      expect(job.outputs.filter((o) => o.kind === 'rendition').map((o) => o.label)).toEqual(['360p']);
      expect(job.skipped).toEqual([{ label: '720p', reason: 'UPSCALE_NOT_ALLOWED' }]);
    });
  });

  describe('bad files fail with a clear code', () => {
    it('a truncated file', async () => {
      const clip = await makeSampleClip(join(dir, 'whole.mp4'), { width: 640, height: 360, durationS: 4, tone: true });
      const bytes = await readFile(clip);
      const truncated = join(dir, 'truncated.mp4');
      writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
      const { job_id } = await api.uploadFile(truncated, { enableTranscription: false });
      const job = await api.waitForJob(job_id);
      expect(job.status).toBe('failed');
      expect(job.error?.code).toBe('CORRUPT_MEDIA');
      expect(job.error?.message.length).toBeGreaterThan(10);
    });

    it('a text file renamed .mp4', async () => {
      const fake = join(dir, 'notes.mp4');
      writeFileSync(fake, 'These are meeting notes, not a video.\n'.repeat(50));
      const { job_id } = await api.uploadFile(fake);
      const job = await api.waitForJob(job_id);
      expect(job.status).toBe('failed');
      expect(job.error?.code).toBe('NOT_MEDIA');
    });
  });
});
