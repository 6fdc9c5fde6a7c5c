/** Secret used when TF_PLAYBACK_SECRET is unset: fine locally, never in a real deployment. */
export const DEV_PLAYBACK_SECRET = 'tfpb_local_development_secret';

export interface PlaybackConfig {
  /** HMAC key of the playback tokens; every gateway replica must share it. */
  secret: string;
  usesDevSecret: boolean;
  /** Lifetime of a minted playback URL. */
  ttlSeconds: number;
}

export const PLAYBACK_CONFIG = Symbol('PLAYBACK_CONFIG');

export function playbackConfig(env: NodeJS.ProcessEnv = process.env): PlaybackConfig {
  const raw = env.TF_PLAYBACK_TTL_S;
  const ttlSeconds = raw === undefined || raw === '' ? 3600 : Number(raw);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) throw new Error(`TF_PLAYBACK_TTL_S must be a positive number of seconds, got "${raw}"`);
  return { secret: env.TF_PLAYBACK_SECRET || DEV_PLAYBACK_SECRET, usesDevSecret: !env.TF_PLAYBACK_SECRET, ttlSeconds };
}
