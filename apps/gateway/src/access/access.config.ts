import { EnvNumber, readEnv } from '@tf/config';
import { bootstrapKeyProblem } from './api-key';

/** Settings of API key access, from the environment. */
export interface AccessConfig {
  /** Key ensured at startup (tenant "default", every scope); other bootstrap keys are retired. Unset: none. */
  bootstrapApiKey: string | undefined;
  /** How often open streams (SSE, GraphQL subscriptions) re-check that their API key still authenticates. */
  keyRecheckMs: number;
  /** How long an authenticated key is reused in the process (0: off); changes invalidate it at once (NOTIFY). */
  keyCacheTtlMs: number;
}

/** Access's numeric variables, read through @tf/config's readEnv: a bad value stops start-up naming it. */
class AccessEnv {
  /** 0: the default. */
  @EnvNumber({ min: 0 }) TF_KEY_RECHECK_MS = 5_000;
  /** 0: off. A backstop only: revocations reach the cache through NOTIFY within milliseconds. */
  @EnvNumber({ min: 0, max: 3600 }) TF_API_KEY_CACHE_TTL_S = 60;
}

/** TF_BOOTSTRAP_API_KEY: unset, or a key as the gateway generates them (never an example). */
function bootstrapApiKey(env: NodeJS.ProcessEnv): string | undefined {
  const key = env.TF_BOOTSTRAP_API_KEY?.trim();
  if (!key) return undefined;
  const problem = bootstrapKeyProblem(key);
  if (problem) throw new Error(`TF_BOOTSTRAP_API_KEY ${problem}`);
  return key;
}

export function accessConfig(env: NodeJS.ProcessEnv = process.env): AccessConfig {
  const read = readEnv(AccessEnv, env);
  return {
    bootstrapApiKey: bootstrapApiKey(env),
    keyRecheckMs: read.TF_KEY_RECHECK_MS || 5_000,
    keyCacheTtlMs: read.TF_API_KEY_CACHE_TTL_S * 1000,
  };
}

export const ACCESS_CONFIG = Symbol('ACCESS_CONFIG');
