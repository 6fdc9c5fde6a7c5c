import { Logger } from '@nestjs/common';
import { NonRetryableError } from '@tf/messaging';
import { metricsRegistry } from '@tf/observability';
import type { ObjectStorage } from '@tf/storage';
import {
  type TranscriptResult,
  WhisperJobError,
  WhisperTimeoutError,
  WhisperWorkerCrashedError,
  extractSpeechAudio,
} from '@tf/transcription';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobProgressReporter } from '@tf/stage';
import { TranscribeService } from './transcribe.service';
import { videoValidatedEvent } from '../../../libs/testing/src/pipeline-events';
import type { WhisperEngine } from './whisper-engine';

jest.mock('@tf/transcription', () => ({ ...jest.requireActual('@tf/transcription'), extractSpeechAudio: jest.fn() }));
const extract = extractSpeechAudio as jest.MockedFunction<typeof extractSpeechAudio>;

beforeAll(() => Logger.overrideLogger(false));

const event = videoValidatedEvent({ spec: { language: 'fr' }, media: { duration_s: 200 } });

const result: TranscriptResult = {
  language: 'fr',
  language_probability: 1,
  duration_s: 200,
  speech_s: 3,
  model: 'whisper-base',
  beam_size: 1,
  vad: true,
  word_timestamps: true,
  batch_size: 0,
  elapsed_s: 1,
  cpu_s: 1,
  segments: [{ start: 0.5, end: 2, text: 'Bonjour.', words: [] }],
};

describe('TranscribeService', () => {
  let workDir: string;
  let puts: { bucket: string; key: string; body: string; contentType: string }[];
  let percents: number[];
  let transcribe: jest.Mock;
  let statObject: jest.Mock;
  let service: TranscribeService;

  beforeEach(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'tf-transcriber-spec-'));
    puts = [];
    percents = [];
    extract.mockReset().mockImplementation(async (_input, out) => {
      await writeFile(out, 'RIFF');
      return { path: out, hasAudio: true };
    });
    transcribe = jest.fn().mockResolvedValue(result);
    statObject = jest.fn().mockResolvedValue({ size: 1000 });
    const storage = {
      presignGet: jest.fn(async (bucket: string, key: string) => `http://s3.local/${bucket}/${key}?X-Amz-Signature=x`),
      putText: jest.fn(async (bucket: string, key: string, body: string, contentType: string) => {
        puts.push({ bucket, key, body, contentType });
        return { bucket, key, bytes: Buffer.byteLength(body), content_type: contentType };
      }),
      client: { statObject },
    } as unknown as ObjectStorage;
    const progress = {
      forJob: () => ({ report: (percent: number) => void percents.push(percent), close: async () => undefined }),
    } as unknown as JobProgressReporter;
    service = new TranscribeService(storage, { transcribe } as unknown as WhisperEngine, progress, {
      workDir,
      timeoutS: null,
    });
  });

  afterEach(() => rm(workDir, { recursive: true, force: true }));

  it('streams the source URL into a scratch WAV, transcribes with the hint and the derived timeout, stores 4 files', async () => {
    const ready = await service.transcribe(event, 2);
    const [input, wav, options] = extract.mock.calls[0];
    expect(input).toBe('http://s3.local/raw-videos/job-1/source.mp4?X-Amz-Signature=x');
    expect(wav.startsWith(join(workDir, 'tf-transcribe-'))).toBe(true);
    expect(options).toEqual({ durationS: expect.any(Number), signal: undefined });
    expect(transcribe).toHaveBeenCalledWith(wav, { language: 'fr', timeoutMs: 600_000 });
    expect(puts.map((p) => [p.bucket, p.key, p.contentType])).toEqual([
      ['processed-videos', 'job-1/transcript.srt', 'application/x-subrip'],
      ['processed-videos', 'job-1/transcript.vtt', 'text/vtt'],
      ['processed-videos', 'job-1/transcript.json', 'application/json'],
      ['processed-videos', 'job-1/transcript.txt', 'text/plain'],
    ]);
    expect(puts[0].body).toBe('1\n00:00:00,500 --> 00:00:02,000\nBonjour.\n');
    expect(ready).toMatchObject({
      job_id: 'job-1',
      attempt: 2,
      language: 'fr',
      model: 'whisper-base',
      duration_s: 200,
      segment_count: 1,
    });
    expect(ready.files.map((f) => f.object.key)).toEqual(puts.map((p) => p.key));
    expect(percents).toEqual([0, 100]);
    expect(await readdir(workDir)).toEqual([]);
  });

  it.each([
    ['a timeout', new WhisperTimeoutError('took too long', 1000)],
    ['a crashed worker', new WhisperWorkerCrashedError('exited (signal SIGKILL)')],
  ])('lets %s through as a plain (retryable) error and still cleans the scratch dir', async (_, error) => {
    transcribe.mockRejectedValue(error);
    const failure = await service.transcribe(event, 1).catch((e: unknown) => e);
    expect(failure).toBe(error);
    expect(failure).not.toBeInstanceOf(NonRetryableError);
    expect(puts).toEqual([]);
    expect(percents).toEqual([0]);
    expect(await readdir(workDir)).toEqual([]);
  });

  it('counts the audio seconds and the real-time factor of a finished transcription, not of a failed one', async () => {
    metricsRegistry.resetMetrics();
    transcribe.mockRejectedValueOnce(new WhisperTimeoutError('took too long', 1000));
    await expect(service.transcribe(event, 1)).rejects.toThrow('took too long');
    await service.transcribe(event, 2);
    const metrics = await metricsRegistry.getMetricsAsJSON();
    const value = (name: string, metricName = name) =>
      (metrics.find((m) => m.name === name)!.values as Array<{ metricName?: string; value: number }>).find(
        (v) => (v.metricName ?? name) === metricName,
      )?.value;
    expect(value('tf_transcribe_audio_seconds_total')).toBe(200);
    expect(value('tf_transcribe_real_time_factor', 'tf_transcribe_real_time_factor_count')).toBe(1);
    // The worker's elapsed_s (1 s) over the 200 s of audio.
    expect(value('tf_transcribe_real_time_factor', 'tf_transcribe_real_time_factor_sum')).toBe(0.005);
  });

  it('turns audio Whisper refuses into a NonRetryableError', async () => {
    transcribe.mockRejectedValue(new WhisperJobError('cannot decode'));
    await expect(service.transcribe(event, 1)).rejects.toMatchObject({
      name: 'NonRetryableError',
      code: 'TRANSCRIPTION_FAILED',
    });
    expect(await readdir(workDir)).toEqual([]);
  });

  it('fails without retries when the source is gone, and retries when S3 is only unreachable', async () => {
    extract.mockRejectedValue(new Error('ffmpeg could not extract audio (exit 1): 404 Not Found'));
    statObject.mockRejectedValue(Object.assign(new Error('Not Found'), { code: 'NotFound' }));
    await expect(service.transcribe(event, 1)).rejects.toMatchObject({
      name: 'NonRetryableError',
      code: 'SOURCE_MISSING',
    });

    statObject.mockRejectedValue(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const failure = await service.transcribe(event, 1).catch((e: unknown) => e);
    expect(failure).not.toBeInstanceOf(NonRetryableError);
    expect((failure as Error).message).toMatch(/404/);
    expect(transcribe).not.toHaveBeenCalled();
    expect(await readdir(workDir)).toEqual([]);
  });

  it('uses TF_TRANSCRIBE_TIMEOUT_S when configured', async () => {
    const storage = {
      presignGet: async () => 'u',
      putText: async (bucket: string, key: string, _b: string, content_type: string) => ({
        bucket,
        key,
        bytes: 0,
        content_type,
      }),
    } as unknown as ObjectStorage;
    const progress = {
      forJob: () => ({ report: () => undefined, close: async () => undefined }),
    } as unknown as JobProgressReporter;
    await new TranscribeService(storage, { transcribe } as unknown as WhisperEngine, progress, {
      workDir,
      timeoutS: 42,
    }).transcribe(event, 1);
    expect(transcribe).toHaveBeenCalledWith(expect.any(String), { language: 'fr', timeoutMs: 42_000 });
  });
});
