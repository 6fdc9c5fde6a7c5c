import { EnvBool, EnvInt, EnvOneOf, EnvString, readEnv } from '@tf/config';
import { WHISPER_MODELS, type WhisperModelName } from './types';
import type { WhisperWorkerOptions } from './whisper-worker';

/**
 * How the transcriber's Whisper worker decodes, read through @tf/config (a bad value stops start-up naming it).
 * The defaults come from the evaluation table in bench/README.md ("Transcription evaluation"): beam 5 (beam 1
 * collapses on some short utterances), VAD on, word timestamps on (the caption layout cuts cues at them), the
 * batched pipeline for audio of a minute or more. The job's language, when the upload names one, is passed per job.
 */
export class WhisperEnv {
  /** Packaged model: base (default), or small (more accurate, several times slower; optional install). */
  @EnvOneOf(WHISPER_MODELS) TF_WHISPER_MODEL: WhisperModelName = 'base';
  /** A CTranslate2 model directory instead of a packaged model. */
  @EnvString() TF_WHISPER_MODEL_DIR?: string;
  /** CTranslate2 CPU threads. */
  @EnvInt({ min: 1, max: 64 }) TF_WHISPER_THREADS = 2;
  @EnvInt({ min: 1, max: 16 }) TF_WHISPER_BEAM_SIZE = 5;
  @EnvOneOf(['int8', 'int8_float32', 'int16', 'float32']) TF_WHISPER_COMPUTE_TYPE = 'int8';
  /** Silero VAD drops the non-speech before decoding. */
  @EnvBool() TF_WHISPER_VAD = true;
  /** Per-word times; the caption layout (caption-layout.ts) cuts cues at them. */
  @EnvBool() TF_WHISPER_WORD_TIMESTAMPS = true;
  /** Batch size of faster-whisper's batched pipeline. */
  @EnvInt({ min: 1, max: 64 }) TF_WHISPER_BATCH_SIZE = 8;
  /** Audio at least this many seconds long goes through the batched pipeline (as accurate, less CPU); 0 = never. */
  @EnvInt({ min: 0 }) TF_WHISPER_BATCH_MIN_AUDIO_S = 60;
  /** Niceness added for the worker process: decoding yields the CPU to the service's event handling. */
  @EnvInt({ min: 0, max: 19 }) TF_WHISPER_NICE = 10;
}

export type WhisperSettings = Required<
  Pick<
    WhisperWorkerOptions,
    | 'model'
    | 'threads'
    | 'beamSize'
    | 'computeType'
    | 'vad'
    | 'wordTimestamps'
    | 'batchSize'
    | 'batchMinAudioS'
    | 'niceness'
  >
> &
  Pick<WhisperWorkerOptions, 'modelDir'>;

/** The worker's settings from the environment (TF_WHISPER_*), checked; they reach the Python worker as its env. */
export function whisperSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): WhisperSettings {
  const e = readEnv(WhisperEnv, env);
  return {
    model: e.TF_WHISPER_MODEL,
    ...(e.TF_WHISPER_MODEL_DIR ? { modelDir: e.TF_WHISPER_MODEL_DIR } : {}),
    threads: e.TF_WHISPER_THREADS,
    beamSize: e.TF_WHISPER_BEAM_SIZE,
    computeType: e.TF_WHISPER_COMPUTE_TYPE,
    vad: e.TF_WHISPER_VAD,
    wordTimestamps: e.TF_WHISPER_WORD_TIMESTAMPS,
    batchSize: e.TF_WHISPER_BATCH_SIZE,
    batchMinAudioS: e.TF_WHISPER_BATCH_MIN_AUDIO_S,
    niceness: e.TF_WHISPER_NICE,
  };
}
