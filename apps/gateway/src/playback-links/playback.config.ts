import { ConfigError, EnvInt, EnvUrl, isProduction, readEnv, signingSecret } from '@tf/config';
import { consoleConfig } from '../console';

export interface PlaybackConfig {
  /** HMAC key of the playback tokens (TF_PLAYBACK_SECRET); every gateway replica must share it. */
  secret: string;
  /** TF_PLAYBACK_SECRET was unset outside production: a key of this process only (warned at start-up). */
  secretGenerated: boolean;
  /** Lifetime of a minted playback URL. */
  ttlSeconds: number;
  /**
   * Where clients reach this gateway (TF_PUBLIC_URL, no trailing slash): the base of every minted
   * playback URL. Never taken from a request's Host header, which the client chooses.
   */
  publicBaseUrl: string;
}

export const PLAYBACK_CONFIG = Symbol('PLAYBACK_CONFIG');

/**
 * TF_PUBLIC_URL: required in production; locally the console's origin on 127.0.0.1 (browsers refuse
 * the API's port 10080, so a URL minted there would not play in a page), or this gateway's own port
 * when the console listener is off (TF_CONSOLE_PORT=0).
 */
function publicBaseUrl(env: NodeJS.ProcessEnv): string {
  const raw = env.TF_PUBLIC_URL?.trim();
  let given: PublicUrlEnv;
  try {
    given = readEnv(PublicUrlEnv, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // The same message as a URL that parses but has a query or credentials: the variable first, then its value.
    if (error.problems.some((p) => p.startsWith('TF_PUBLIC_URL ')))
      throw new Error(`TF_PUBLIC_URL must be an absolute http(s) URL, got "${raw}"`);
    throw error;
  }
  if (!given.TF_PUBLIC_URL) {
    if (isProduction(env))
      throw new Error(
        'TF_PUBLIC_URL is required when TF_ENV=production: the URL clients reach the gateway at (playback URLs are built on it)',
      );
    return `http://127.0.0.1:${consoleConfig(env).port || given.TF_HTTP_PORT || 10080}`;
  }
  const url = new URL(given.TF_PUBLIC_URL.trim());
  if (!['http:', 'https:'].includes(url.protocol) || url.search || url.hash || url.username || url.password) {
    throw new Error(`TF_PUBLIC_URL must be an http(s) URL without query, fragment or credentials, got "${raw}"`);
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

class PublicUrlEnv {
  @EnvUrl() TF_PUBLIC_URL?: string;
  /** The gateway's own port (libs/runtime reads it to listen; here only for the local default). */
  @EnvInt({ min: 0, max: 65_535 }) TF_HTTP_PORT?: number;
}

class PlaybackEnv {
  /** Whole seconds, at least 1. */
  @EnvInt({ min: 1 }) TF_PLAYBACK_TTL_S = 3600;
}

export function playbackConfig(env: NodeJS.ProcessEnv = process.env): PlaybackConfig {
  const ttlSeconds = readEnv(PlaybackEnv, env).TF_PLAYBACK_TTL_S;
  const secret = signingSecret(env, 'TF_PLAYBACK_SECRET');
  return { secret: secret.value, secretGenerated: secret.generated, ttlSeconds, publicBaseUrl: publicBaseUrl(env) };
}
