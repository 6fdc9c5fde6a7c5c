import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { getPriority, setPriority } from 'node:os';
import * as path from 'node:path';
import {
  WhisperJobError,
  WhisperStartError,
  WhisperStoppedError,
  WhisperTimeoutError,
  WhisperWorkerCrashedError,
} from './errors';
import { defaultPython, defaultWorkerScript, findRepoRoot } from './paths';
import { encodeRequest, LineSplitter, parseWorkerLine } from './protocol';
import type { TranscriptResult, WhisperModelName, WhisperReadyInfo } from './types';

export interface WhisperWorkerOptions {
  /** Python executable. Default: TF_WHISPER_PYTHON, else <repo>/.stack/venv/bin/python. */
  python?: string;
  /** The worker script. Default: <repo>/libs/transcription/python/whisper_worker.py. */
  script?: string;
  /** CTranslate2 model dir (sets TF_WHISPER_MODEL_DIR for the worker). Default: the worker resolves the installed package. */
  modelDir?: string;
  /** CPU threads (TF_WHISPER_THREADS, default 2). */
  threads?: number;
  /** Default beam size (TF_WHISPER_BEAM_SIZE, default 1). */
  beamSize?: number;
  /** CTranslate2 compute type (TF_WHISPER_COMPUTE_TYPE, default int8). */
  computeType?: string;
  /** Packaged model to assemble when no modelDir is given (TF_WHISPER_MODEL: base, or small). */
  model?: WhisperModelName;
  /** Default VAD filter (TF_WHISPER_VAD). */
  vad?: boolean;
  /** Default per-word timestamps (TF_WHISPER_WORD_TIMESTAMPS). */
  wordTimestamps?: boolean;
  /** Batch size of the batched pipeline (TF_WHISPER_BATCH_SIZE). */
  batchSize?: number;
  /** Audio at least this long goes through the batched pipeline; 0 = never (TF_WHISPER_BATCH_MIN_AUDIO_S). */
  batchMinAudioS?: number;
  /**
   * Added to this process's niceness for the worker (TF_WHISPER_NICE, default 0 here, 10 in the transcriber): the
   * decode yields the CPU to the service's own event handling and heartbeats, like the ffmpeg runs (TF_MEDIA_NICE).
   */
  niceness?: number;
  /** Base environment of the worker (default process.env). HF_HUB_OFFLINE=1 is always set. */
  env?: NodeJS.ProcessEnv;
  /** How long start() waits for the ready line (default 180 s: the first start assembles the model). */
  startTimeoutMs?: number;
  /** Per-job timeout when transcribe() is given none (default 30 min). */
  jobTimeoutMs?: number;
  /** Receives the worker's stderr lines (logs, warnings). */
  onLog?: (line: string) => void;
}

export interface TranscribeOptions {
  /** ISO 639-1 hint; null/undefined means detect. */
  language?: string | null;
  /** Kill the worker and reject with a TimeoutError after this long (default: the worker's jobTimeoutMs). */
  timeoutMs?: number;
  /** Beam size for this job only. */
  beamSize?: number;
  /** VAD filter for this job only. */
  vad?: boolean;
  /** Per-word timestamps for this job only. */
  wordTimestamps?: boolean;
  /** For this job only: 0 = the sequential decoder, > 0 = the batched pipeline with this batch size. */
  batchSize?: number;
}

interface InFlight {
  id: number;
  audioPath: string;
  resolve: (r: TranscriptResult) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

interface Proc {
  child: ChildProcessWithoutNullStreams;
  ready: WhisperReadyInfo | null;
  exited: boolean;
  /** Set when we killed it on purpose (timeout, stop): its exit is not a crash. */
  killedOnPurpose: boolean;
  stderrTail: string[];
  exitPromise: Promise<void>;
}

const STDERR_TAIL_LINES = 20;

/**
 * Client of the long-lived Python Whisper worker (JSON lines over stdio).
 * One job at a time per worker: calls to transcribe() are queued.
 */
export class WhisperWorker {
  private readonly python: string;
  private readonly script: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly startTimeoutMs: number;
  private readonly jobTimeoutMs: number;
  private readonly onLog?: (line: string) => void;
  private readonly niceness: number;

  private proc: Proc | null = null;
  private starting: Promise<WhisperReadyInfo> | null = null;
  private inflight: InFlight | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private stopped = false;
  private startCount = 0;

  constructor(options: WhisperWorkerOptions = {}) {
    const root = findRepoRoot();
    this.python = options.python ?? defaultPython(options.env ?? process.env, root);
    this.script = options.script ?? defaultWorkerScript(root);
    const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env), HF_HUB_OFFLINE: '1', PYTHONUNBUFFERED: '1' };
    if (options.modelDir !== undefined) env.TF_WHISPER_MODEL_DIR = path.resolve(options.modelDir);
    if (options.threads !== undefined) env.TF_WHISPER_THREADS = String(options.threads);
    if (options.beamSize !== undefined) env.TF_WHISPER_BEAM_SIZE = String(options.beamSize);
    if (options.computeType !== undefined) env.TF_WHISPER_COMPUTE_TYPE = options.computeType;
    if (options.model !== undefined) env.TF_WHISPER_MODEL = options.model;
    if (options.vad !== undefined) env.TF_WHISPER_VAD = options.vad ? '1' : '0';
    if (options.wordTimestamps !== undefined) env.TF_WHISPER_WORD_TIMESTAMPS = options.wordTimestamps ? '1' : '0';
    if (options.batchSize !== undefined) env.TF_WHISPER_BATCH_SIZE = String(options.batchSize);
    if (options.batchMinAudioS !== undefined) env.TF_WHISPER_BATCH_MIN_AUDIO_S = String(options.batchMinAudioS);
    this.env = env;
    this.startTimeoutMs = options.startTimeoutMs ?? 180_000;
    this.jobTimeoutMs = options.jobTimeoutMs ?? 30 * 60_000;
    this.onLog = options.onLog;
    this.niceness = options.niceness ?? 0;
  }

  /** The ready line of the running worker, or null when none is running. */
  get info(): WhisperReadyInfo | null {
    return this.proc?.ready ?? null;
  }

  /** Model name reported by the running worker (e.g. "whisper-base"). */
  get model(): string | null {
    return this.info?.model ?? null;
  }

  /** OS pid of the running worker process. */
  get pid(): number | null {
    return this.proc && !this.proc.exited ? (this.proc.child.pid ?? null) : null;
  }

  /** How many worker processes were started so far (1 + restarts). */
  get starts(): number {
    return this.startCount;
  }

  /** Starts the worker (if not running) and resolves once the model is loaded. Rejects with WhisperStartError. */
  start(): Promise<WhisperReadyInfo> {
    this.stopped = false;
    return this.ensureStarted();
  }

  /** Transcribes a 16 kHz mono WAV (any ffmpeg-readable audio works). Queued: one job at a time. */
  transcribe(audioPath: string, options: TranscribeOptions = {}): Promise<TranscriptResult> {
    const run = async (): Promise<TranscriptResult> => {
      if (this.stopped) throw new WhisperStoppedError();
      await this.ensureStarted(); // restarts a crashed or timed-out worker
      if (this.stopped) throw new WhisperStoppedError();
      return this.send(path.resolve(audioPath), options);
    };
    const job = this.queue.then(run, run);
    this.queue = job.catch(() => undefined);
    return job;
  }

  /** Ends the worker: closes its stdin, waits briefly, then kills it. Queued jobs reject with WhisperStoppedError. */
  async stop(graceMs = 5_000): Promise<void> {
    this.stopped = true;
    const starting = this.starting;
    if (starting) await starting.catch(() => undefined);
    const proc = this.proc;
    this.proc = null;
    if (this.inflight) this.failInflight(new WhisperStoppedError());
    if (!proc || proc.exited) return;
    proc.killedOnPurpose = true;
    proc.child.stdin.end();
    const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
    await proc.exitPromise;
    clearTimeout(timer);
  }

  private ensureStarted(): Promise<WhisperReadyInfo> {
    if (this.proc?.ready && !this.proc.exited) return Promise.resolve(this.proc.ready);
    if (!this.starting) {
      this.starting = this.spawnWorker().finally(() => {
        this.starting = null;
      });
    }
    return this.starting;
  }

  /**
   * Starts the worker `niceness` above this process (relative, as nice(1) is); it spends its first seconds importing,
   * long before it decodes anything. Best effort: a refusal is logged and the worker runs at this process's priority.
   */
  private lowerPriority(child: ChildProcessWithoutNullStreams): void {
    if (this.niceness === 0 || child.pid === undefined) return;
    try {
      setPriority(child.pid, Math.min(19, getPriority() + this.niceness));
    } catch (err) {
      this.onLog?.(`could not lower the Whisper worker's priority: ${(err as Error).message}`);
    }
  }

  private spawnWorker(): Promise<WhisperReadyInfo> {
    this.startCount += 1;
    return new Promise<WhisperReadyInfo>((resolve, reject) => {
      let settled = false;
      // Declared first: a spawn that throws at once fails before the timer exists.
      let startTimer: NodeJS.Timeout | undefined = undefined;
      const fail = (err: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(startTimer);
        reject(err);
      };

      let child: ChildProcessWithoutNullStreams;
      try {
        child = spawn(this.python, [this.script], { env: this.env, stdio: ['pipe', 'pipe', 'pipe'] });
      } catch (err) {
        fail(new WhisperStartError(`cannot spawn the Whisper worker (${this.python}): ${(err as Error).message}`));
        return;
      }
      this.lowerPriority(child);
      let markExited: () => void = () => undefined;
      const proc: Proc = {
        child,
        ready: null,
        exited: false,
        killedOnPurpose: false,
        stderrTail: [],
        exitPromise: new Promise<void>((r) => (markExited = r)),
      };
      this.proc = proc;

      startTimer = setTimeout(() => {
        proc.killedOnPurpose = true;
        child.kill('SIGKILL');
        fail(
          new WhisperStartError(
            `the Whisper worker was not ready after ${this.startTimeoutMs} ms${this.tail(proc)}`,
            true,
          ),
        );
      }, this.startTimeoutMs);

      child.on('error', (err: NodeJS.ErrnoException) => {
        const hint =
          err.code === 'ENOENT'
            ? ` (python not found: create the venv with scripts/stack.sh, or pip install -r libs/transcription/python/requirements.txt into one and set TF_WHISPER_PYTHON)`
            : '';
        if (child.pid === undefined) {
          // never started: there will be no exit to wait for
          proc.exited = true;
          markExited();
          if (this.proc === proc) this.proc = null;
        }
        fail(new WhisperStartError(`cannot run the Whisper worker with ${this.python}: ${err.message}${hint}`));
      });
      child.stdin.on('error', () => undefined); // EPIPE when the worker died: reported through 'exit'

      const stdout = new LineSplitter();
      const onLine = (line: string): void => {
        const msg = parseWorkerLine(line);
        switch (msg.kind) {
          case 'ready':
            if (proc.ready || settled) return;
            proc.ready = msg.info;
            settled = true;
            clearTimeout(startTimer);
            resolve(msg.info);
            return;
          case 'fatal':
            fail(new WhisperStartError(`the Whisper worker could not start: ${msg.error}`));
            return;
          case 'result':
          case 'error': {
            const job = this.inflight;
            if (!job || this.proc !== proc || msg.id !== job.id) {
              this.onLog?.(`[whisper] ignoring an answer for job ${String(msg.id)}`);
              return;
            }
            this.inflight = null;
            clearTimeout(job.timer);
            if (msg.kind === 'result') job.resolve(msg.result);
            else job.reject(new WhisperJobError(`Whisper could not transcribe ${job.audioPath}: ${msg.error}`));
            return;
          }
          default:
            this.onLog?.(`[whisper] unexpected stdout line (${msg.reason}): ${msg.line.slice(0, 200)}`);
        }
      };
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk).forEach(onLine));

      const stderr = new LineSplitter();
      child.stderr.on('data', (chunk: Buffer) => {
        for (const line of stderr.push(chunk)) {
          proc.stderrTail.push(line);
          if (proc.stderrTail.length > STDERR_TAIL_LINES) proc.stderrTail.shift();
          this.onLog?.(line);
        }
      });

      // 'close' (not 'exit'): fires once stdout is drained, so a last {"type":"fatal"} line is not lost.
      child.on('close', (code, signal) => {
        stdout.flush().forEach(onLine);
        stderr.flush().forEach((line) => proc.stderrTail.push(line));
        if (proc.exited) return;
        proc.exited = true;
        markExited();
        const how = signal ? `signal ${signal}` : `code ${code}`;
        fail(
          new WhisperStartError(`the Whisper worker exited (${how}) before it was ready${this.tail(proc)}`, code !== 2),
        );
        const wasCurrent = this.proc === proc;
        if (wasCurrent) this.proc = null;
        const job = this.inflight;
        if (job && wasCurrent && !proc.killedOnPurpose) {
          this.failInflight(
            new WhisperWorkerCrashedError(
              `the Whisper worker exited (${how}) while transcribing ${job.audioPath}; it is restarted on the next call${this.tail(proc)}`,
            ),
          );
        }
      });
    });
  }

  private send(audioPath: string, options: TranscribeOptions): Promise<TranscriptResult> {
    const proc = this.proc;
    if (!proc || proc.exited) {
      return Promise.reject(new WhisperWorkerCrashedError('the Whisper worker is not running'));
    }
    const timeoutMs = options.timeoutMs ?? this.jobTimeoutMs;
    const id = this.nextId++;
    return new Promise<TranscriptResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.inflight?.id !== id) return;
        this.inflight = null;
        proc.killedOnPurpose = true;
        proc.child.kill('SIGKILL');
        if (this.proc === proc) this.proc = null;
        // Restart right away so the next job does not pay for it; a failure surfaces on the next call.
        if (!this.stopped) this.ensureStarted().catch(() => undefined);
        reject(
          new WhisperTimeoutError(
            `transcribing ${audioPath} took longer than ${timeoutMs} ms; the Whisper worker was killed and restarted`,
            timeoutMs,
          ),
        );
      }, timeoutMs);
      this.inflight = { id, audioPath, resolve, reject, timer };
      proc.child.stdin.write(
        encodeRequest({
          id,
          audio_path: audioPath,
          language: options.language ?? null,
          ...(options.beamSize !== undefined ? { beam_size: options.beamSize } : {}),
          ...(options.vad !== undefined ? { vad: options.vad } : {}),
          ...(options.wordTimestamps !== undefined ? { word_timestamps: options.wordTimestamps } : {}),
          ...(options.batchSize !== undefined ? { batch_size: options.batchSize } : {}),
        }),
      );
    });
  }

  private failInflight(err: Error): void {
    const job = this.inflight;
    if (!job) return;
    this.inflight = null;
    clearTimeout(job.timer);
    job.reject(err);
  }

  private tail(proc: Proc): string {
    const lines = proc.stderrTail.slice(-5);
    return lines.length ? `; stderr: ${lines.join(' | ')}` : '';
  }
}
