import { EnvNumber, readEnv } from '@tf/config';
import { stageEnv } from '@tf/stage';

/** Deployment settings of the transcriber (unset: defaults that suit the local stack). The TF_WHISPER_* ones are read by @tf/transcription. */
export class TranscriberConfig {
  /** Parent of the per-job scratch directories (one 16 kHz mono WAV: ≈ 115 MB per hour of audio). */
  workDir!: string;
  /** Fixed per-job timeout in seconds (TF_TRANSCRIBE_TIMEOUT_S); null: derived from the media duration. */
  timeoutS!: number | null;
}

/** Floor of the derived per-job timeout, and how many times the media duration it allows. */
const MIN_TIMEOUT_S = 300;
const TIMEOUT_DURATION_FACTOR = 3;

class TranscriberEnv {
  /** Seconds; a positive number. */
  @EnvNumber({ positive: true }) TF_TRANSCRIBE_TIMEOUT_S?: number;
}

export function transcriberConfigFromEnv(env = process.env): TranscriberConfig {
  return { workDir: stageEnv(env).TF_WORK_DIR, timeoutS: readEnv(TranscriberEnv, env).TF_TRANSCRIBE_TIMEOUT_S ?? null };
}

/**
 * How long one job (audio extraction, then Whisper) may take before it is abandoned and retried:
 * TF_TRANSCRIBE_TIMEOUT_S when set, else max(300 s, 3 × the media duration). On 2 CPU cores Whisper
 * base runs at ≈ 0.1–0.4 × real time, so 3 × leaves room for a loaded machine without letting a hung
 * worker hold the partition for long.
 */
export function jobTimeoutMs(config: TranscriberConfig, mediaDurationS: number): number {
  const derived = Math.max(
    MIN_TIMEOUT_S,
    TIMEOUT_DURATION_FACTOR * (Number.isFinite(mediaDurationS) ? mediaDurationS : 0),
  );
  return Math.round((config.timeoutS ?? derived) * 1000);
}
