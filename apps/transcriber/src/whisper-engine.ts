import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import { errorMessage } from '@tf/messaging';
import type { HealthCheck } from '@tf/runtime';
import {
  TranscribeOptions,
  TranscriptResult,
  WhisperReadyInfo,
  WhisperWorker,
  WhisperWorkerOptions,
  whisperSettingsFromEnv,
} from '@tf/transcription';

/** Builds the one worker of an instance (tests pass a fake). */
const WHISPER_WORKER_FACTORY = Symbol('WHISPER_WORKER_FACTORY');
export type WhisperWorkerFactory = (options: WhisperWorkerOptions) => WhisperWorker;
const defaultWhisperWorkerFactory: WhisperWorkerFactory = (options) => new WhisperWorker(options);

export type WhisperState = 'stopped' | 'starting' | 'ready' | 'busy' | 'down';

/**
 * The instance's ONE Whisper worker (a Python process holding the model). Started in onModuleInit,
 * which bootstrapService awaits before the Kafka consumer starts, so the model is loaded before the
 * first message; a start failure (no model, no venv) fails the app's startup with the worker's message.
 * Stopped in onApplicationShutdown, i.e. after the Kafka consumer has disconnected and so after the
 * job in flight (if any) has finished.
 *
 * Jobs are serialized by the worker itself; a worker that crashed or timed out is restarted by
 * WhisperWorker on the next call.
 */
@Injectable()
export class WhisperEngine implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Whisper');
  readonly worker: WhisperWorker;
  private shuttingDown = false;
  private busy = 0;
  private lastError: string | null = null;

  constructor(@Optional() @Inject(WHISPER_WORKER_FACTORY) factory?: WhisperWorkerFactory) {
    // TF_WHISPER_* read and checked here (a bad value fails the start-up naming it), passed to the Python worker.
    this.worker = (factory ?? defaultWhisperWorkerFactory)({
      ...whisperSettingsFromEnv(),
      onLog: (line) => this.logger.log(line),
    });
  }

  async onModuleInit(): Promise<void> {
    this.logger.log('loading the Whisper model');
    try {
      this.logReady(await this.worker.start());
    } catch (error) {
      // Fatal: the app does not start (bootstrapService rejects, the process exits non-zero with this message).
      this.logger.error(`cannot start the Whisper worker: ${errorMessage(error)}`);
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    await this.worker.stop();
  }

  get state(): WhisperState {
    if (this.shuttingDown) return 'stopped';
    if (!this.worker.info) return this.worker.starts === 0 ? 'stopped' : 'down';
    return this.busy > 0 ? 'busy' : 'ready';
  }

  /** Model name as the running worker reports it. */
  get model(): string | null {
    return this.worker.model;
  }

  async transcribe(audioPath: string, options: TranscribeOptions): Promise<TranscriptResult> {
    const starts = this.worker.starts;
    this.busy += 1;
    try {
      const result = await this.worker.transcribe(audioPath, options);
      if (this.worker.starts !== starts && this.worker.info) this.logReady(this.worker.info, 'restarted');
      this.lastError = null;
      return result;
    } catch (error) {
      this.lastError = errorMessage(error);
      throw error;
    } finally {
      this.busy -= 1;
    }
  }

  /**
   * Stops the job in flight (a cancelled job): kills the worker, whose transcribe() then rejects, and
   * starts a fresh one in the background (the model loads again). No job in flight: nothing to do.
   */
  async abortCurrent(reason: string): Promise<void> {
    if (this.busy === 0 || this.shuttingDown) return;
    this.logger.log(`stopping the Whisper worker mid-job: ${reason}`);
    await this.worker.stop(1_000);
    if (this.shuttingDown) return;
    this.worker.start().then(
      (info) => this.logReady(info, 'restarted'),
      (e) => (this.lastError = errorMessage(e)),
    );
  }

  /**
   * Readiness of the worker for /health: fails while no model is loaded (a crashed worker is
   * restarted in the background here, so the instance heals without waiting for the next job).
   */
  readonly healthCheck: HealthCheck = {
    name: 'whisper',
    check: async () => {
      const state = this.state;
      if (state === 'ready' || state === 'busy') return;
      if (state === 'down' && !this.shuttingDown) {
        this.worker.start().then(
          (info) => this.logReady(info, 'restarted'),
          (e) => (this.lastError = errorMessage(e)),
        );
      }
      throw new Error(`whisper worker ${state}${this.lastError ? `: ${this.lastError}` : ''}`);
    },
  };

  private logReady(info: WhisperReadyInfo, how = 'ready'): void {
    this.logger.log(
      `Whisper worker ${how}: model=${info.model} multilingual=${info.multilingual} load_seconds=${info.load_seconds} ` +
        `threads=${info.threads} beam=${info.beam_size} compute=${info.compute_type} vad=${info.vad} ` +
        `word_timestamps=${info.word_timestamps} batched_from=${info.batch_min_audio_s || 'never'} pid=${info.pid}`,
    );
  }
}
