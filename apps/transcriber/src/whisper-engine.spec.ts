import { Logger } from '@nestjs/common';
import { WhisperJobError, WhisperStartError, WhisperWorker, WhisperWorkerCrashedError } from '@tf/transcription';
import { join } from 'node:path';
import { WhisperEngine, WhisperWorkerFactory } from './whisper-engine';

// The real WhisperWorker client driving the lib's fake worker script (same protocol, no model).
const FAKE = join(__dirname, '../../../libs/transcription/src/__fixtures__/fake-whisper-worker.js');
const fakeWorker =
  (env: NodeJS.ProcessEnv = {}): WhisperWorkerFactory =>
  (options) =>
    new WhisperWorker({ ...options, python: process.execPath, script: FAKE, env: { ...process.env, ...env } });

beforeAll(() => Logger.overrideLogger(false));

describe('WhisperEngine', () => {
  let engine: WhisperEngine | undefined;
  afterEach(async () => {
    await engine?.onApplicationShutdown();
    engine = undefined;
  });

  it('starts one worker at module init and reports it healthy', async () => {
    engine = new WhisperEngine(fakeWorker());
    expect(engine.state).toBe('stopped');
    await expect(engine.healthCheck.check()).rejects.toThrow(/stopped/);
    await engine.onModuleInit();
    expect(engine.state).toBe('ready');
    expect(engine.model).toBe('fake-whisper');
    await expect(engine.healthCheck.check()).resolves.toBeUndefined();
    const result = await engine.transcribe('/tmp/a.wav', { language: 'de', timeoutMs: 10_000 });
    expect(result).toMatchObject({ language: 'de', model: 'fake-whisper' });
    expect(engine.worker.starts).toBe(1);
  });

  it('starts the worker with the TF_WHISPER_* settings, and refuses a bad one before starting anything', async () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, { TF_WHISPER_BEAM_SIZE: '3', TF_WHISPER_VAD: 'false', TF_WHISPER_MODEL: 'small' });
      engine = new WhisperEngine(fakeWorker());
      await engine.onModuleInit();
      expect(engine.worker.info).toMatchObject({ beam_size: 3, vad: false, model_setting: 'small' });
      process.env.TF_WHISPER_BEAM_SIZE = '99';
      expect(() => new WhisperEngine(fakeWorker())).toThrow(/TF_WHISPER_BEAM_SIZE/);
    } finally {
      process.env = saved;
    }
  });

  it('fails the startup with the worker message when the model is missing', async () => {
    engine = new WhisperEngine(fakeWorker({ FAKE_START: 'fatal' }));
    await expect(engine.onModuleInit()).rejects.toThrow(WhisperStartError);
    await expect(engine.onModuleInit()).rejects.toThrow(/model dir does not exist/);
  });

  it('reports a crashed worker as down and restarts it (on /health or on the next job)', async () => {
    engine = new WhisperEngine(fakeWorker());
    await engine.onModuleInit();
    await expect(engine.transcribe('/tmp/crash.wav', { timeoutMs: 10_000 })).rejects.toThrow(WhisperWorkerCrashedError);
    expect(engine.state).toBe('down');
    await expect(engine.healthCheck.check()).rejects.toThrow(/down: .*exited/);
    const next = await engine.transcribe('/tmp/b.wav', { timeoutMs: 10_000 });
    expect(next.segments[0].text).toContain('b.wav');
    expect(engine.worker.starts).toBe(2);
    await expect(engine.healthCheck.check()).resolves.toBeUndefined();
  });

  it('passes a refused job through as WhisperJobError', async () => {
    engine = new WhisperEngine(fakeWorker());
    await engine.onModuleInit();
    await expect(engine.transcribe('/tmp/fail.wav', {})).rejects.toThrow(WhisperJobError);
    expect(engine.state).toBe('ready');
  });

  it('stops the worker on shutdown', async () => {
    engine = new WhisperEngine(fakeWorker());
    await engine.onModuleInit();
    const pid = engine.worker.pid!;
    await engine.onApplicationShutdown();
    expect(engine.worker.pid).toBeNull();
    expect(() => process.kill(pid, 0)).toThrow();
    expect(engine.state).toBe('stopped');
  });
});
