import { getPriority } from 'node:os';
import * as path from 'node:path';
import {
  WhisperJobError,
  WhisperStartError,
  WhisperStoppedError,
  WhisperTimeoutError,
  WhisperWorker,
  WhisperWorkerCrashedError,
} from './index';

const FAKE = path.join(__dirname, '__fixtures__', 'fake-whisper-worker.js');

function fakeWorker(
  env: Record<string, string> = {},
  extra: Partial<ConstructorParameters<typeof WhisperWorker>[0]> = {},
) {
  return new WhisperWorker({ python: process.execPath, script: FAKE, env: { ...process.env, ...env }, ...extra });
}

describe('WhisperWorker (fake worker process)', () => {
  let worker: WhisperWorker | undefined;
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
  });

  it('waits for ready, passes settings through env and forces HF_HUB_OFFLINE', async () => {
    worker = fakeWorker({ HF_HUB_OFFLINE: '0' }, { threads: 3, beamSize: 5 });
    const info = await worker.start();
    expect(info).toMatchObject({ type: 'ready', model: 'fake-whisper', threads: 3, beam_size: 5, offline: '1' });
    expect(worker.model).toBe('fake-whisper');
    expect(worker.pid).toBe(info.pid);
  });

  it('starts the worker `niceness` above this process (relative, like nice), and at its own level without it', async () => {
    worker = fakeWorker({}, { niceness: 5 });
    await worker.start();
    expect(getPriority(worker.pid!)).toBe(Math.min(19, getPriority() + 5));
    await worker.stop();
    worker = fakeWorker();
    await worker.start();
    expect(getPriority(worker.pid!)).toBe(getPriority());
  });

  it('transcribes, reassembling answers split across chunks, and passes language and beam size', async () => {
    worker = fakeWorker();
    const r = await worker.transcribe('/tmp/a.wav', { language: 'de', beamSize: 4 });
    expect(r.language).toBe('de');
    expect(r.beam_size).toBe(4);
    expect(r.segments[0].text).toBe('héllo a.wav');
    expect((r as unknown as { id?: unknown }).id).toBeUndefined();
  });

  it('hands the decoding settings to the worker as its environment', async () => {
    worker = fakeWorker(
      {},
      { model: 'small', vad: false, wordTimestamps: false, batchSize: 16, batchMinAudioS: 300, computeType: 'float32' },
    );
    expect(await worker.start()).toMatchObject({
      model_setting: 'small',
      vad: false,
      word_timestamps: false,
      batch_size: 16,
      batch_min_audio_s: 300,
      compute_type: 'float32',
    });
  });

  it('sends per-job decoding options only when given (else the worker decides)', async () => {
    worker = fakeWorker();
    expect(await worker.transcribe('/tmp/a.wav', { vad: false, wordTimestamps: true, batchSize: 0 })).toMatchObject({
      vad: false,
      word_timestamps: true,
      batch_size: 0,
    });
    expect(await worker.transcribe('/tmp/b.wav')).toMatchObject({ vad: null, word_timestamps: null, batch_size: null });
  });

  it('runs one job at a time, in order', async () => {
    worker = fakeWorker();
    const results = await Promise.all(['1', '2', '3', '4'].map((n) => worker!.transcribe(`/tmp/${n}.wav`)));
    expect(results.map((r) => r.segments[0].text)).toEqual([
      'héllo 1.wav',
      'héllo 2.wav',
      'héllo 3.wav',
      'héllo 4.wav',
    ]);
  });

  it('skips stray stdout lines', async () => {
    const logs: string[] = [];
    worker = fakeWorker({}, { onLog: (l) => logs.push(l) });
    const r = await worker.transcribe('/tmp/noise.wav');
    expect(r.segments).toHaveLength(1);
    expect(logs.join('\n')).toMatch(/unexpected stdout line/);
  });

  it('rejects a job the worker refuses with WhisperJobError and keeps the worker', async () => {
    worker = fakeWorker();
    await worker.start();
    const pid = worker.pid;
    await expect(worker.transcribe('/tmp/fail.wav')).rejects.toThrow(WhisperJobError);
    await expect(worker.transcribe('/tmp/fail.wav')).rejects.toThrow(/cannot decode/);
    expect(worker.pid).toBe(pid);
    expect((await worker.transcribe('/tmp/ok.wav')).segments).toHaveLength(1);
  });

  it('start() rejects with the fatal message (missing model)', async () => {
    worker = fakeWorker({ FAKE_START: 'fatal' });
    const err = await worker.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WhisperStartError);
    expect((err as Error).message).toMatch(/could not start: Whisper model dir does not exist/);
    expect((err as WhisperStartError).retryable).toBe(false);
  });

  it('start() rejects when the worker dies before ready, with its stderr', async () => {
    worker = fakeWorker({ FAKE_START: 'exit' });
    await expect(worker.start()).rejects.toThrow(/exited \(code 1\) before it was ready; stderr: Traceback: boom/);
  });

  it('start() rejects when the worker never gets ready', async () => {
    worker = fakeWorker({ FAKE_START: 'silent' }, { startTimeoutMs: 300 });
    await expect(worker.start()).rejects.toThrow(/not ready after 300 ms/);
  });

  it('start() rejects clearly when python is missing', async () => {
    worker = new WhisperWorker({ python: '/nonexistent/bin/python', script: FAKE });
    await expect(worker.start()).rejects.toThrow(
      /cannot run the Whisper worker with \/nonexistent\/bin\/python.*python not found/,
    );
    await worker.stop();
  });

  it('a timeout kills the worker, rejects with TimeoutError and the next job runs on a new worker', async () => {
    worker = fakeWorker();
    await worker.start();
    const firstPid = worker.pid;
    const err = await worker.transcribe('/tmp/hang.wav', { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WhisperTimeoutError);
    expect((err as Error).name).toBe('TimeoutError');
    expect((err as WhisperTimeoutError).retryable).toBe(true);
    const r = await worker.transcribe('/tmp/after.wav');
    expect(r.segments[0].text).toBe('héllo after.wav');
    expect(worker.pid).not.toBe(firstPid);
    expect(worker.starts).toBe(2);
  });

  it('a crash rejects the in-flight job and the next call restarts the worker', async () => {
    worker = fakeWorker();
    await worker.start();
    const firstPid = worker.pid;
    const err = await worker.transcribe('/tmp/crash.wav').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WhisperWorkerCrashedError);
    expect((err as Error).message).toMatch(/exited \(code 3\) while transcribing \/tmp\/crash.wav.*Segmentation fault/);
    const r = await worker.transcribe('/tmp/next.wav');
    expect(r.segments).toHaveLength(1);
    expect(worker.pid).not.toBe(firstPid);
  });

  it('a worker killed while idle is restarted on the next call', async () => {
    worker = fakeWorker();
    await worker.start();
    const firstPid = worker.pid!;
    process.kill(firstPid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
    expect(worker.pid).toBeNull();
    expect((await worker.transcribe('/tmp/x.wav')).segments).toHaveLength(1);
    expect(worker.pid).not.toBe(firstPid);
  });

  it('stop() rejects the in-flight job and later calls', async () => {
    worker = fakeWorker();
    await worker.start();
    const hanging = worker.transcribe('/tmp/hang.wav');
    await new Promise((r) => setTimeout(r, 50));
    await worker.stop();
    await expect(hanging).rejects.toThrow(WhisperStoppedError);
    await expect(worker.transcribe('/tmp/x.wav')).rejects.toThrow(WhisperStoppedError);
    expect(worker.pid).toBeNull();
  });
});
