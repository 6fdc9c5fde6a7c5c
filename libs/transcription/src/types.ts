/** One recognised word, times in seconds from the start of the media. */
export interface TranscriptWord {
  start: number;
  end: number;
  word: string;
  probability: number;
}

/** One recognised segment (a caption cue), times in seconds from the start of the media. */
export interface TranscriptSegment {
  start: number;
  end: number;
  text: string;
  words?: TranscriptWord[];
}

/** What the Python worker answers for one audio file. */
export interface TranscriptResult {
  /** Detected or given language (ISO 639-1); "und" when there was no speech and no hint. */
  language: string;
  /** Probability of the detected language (1 when given, 0 when no speech). */
  language_probability: number;
  /** Audio duration in seconds. */
  duration_s: number;
  /** Seconds of audio the VAD kept as speech. */
  speech_s: number;
  model: string;
  beam_size: number;
  /** Whether the VAD filter ran (always with the batched pipeline, which cuts at VAD boundaries). */
  vad: boolean;
  word_timestamps: boolean;
  /** 0: the sequential decoder; > 0: the batched pipeline's batch size. */
  batch_size: number;
  /** Wall-clock seconds the worker spent on this job. */
  elapsed_s: number;
  /** CPU seconds (all threads, user + system) the worker spent on this job. */
  cpu_s: number;
  segments: TranscriptSegment[];
}

/** The worker's first line once the model is loaded. */
export interface WhisperReadyInfo {
  type: 'ready';
  model: string;
  model_dir: string;
  multilingual: boolean;
  load_seconds: number;
  threads: number;
  beam_size: number;
  compute_type: string;
  vad: boolean;
  word_timestamps: boolean;
  batch_size: number;
  batch_min_audio_s: number;
  pid: number;
}

/** The models the worker can assemble from PyPI packages (TF_WHISPER_MODEL). */
export const WHISPER_MODELS = ['base', 'small'] as const;
export type WhisperModelName = (typeof WHISPER_MODELS)[number];
