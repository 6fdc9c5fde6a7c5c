import { EnvNumber, readEnv } from '@tf/config';
import { bootstrapKeyProblem } from './api-key';

/** Settings of API key access, from the environment. */
export interface AccessConfig {
  /** Key ensured at startup (tenant "default", every scope); other bootstrap keys are retired. Unset: none. */
  bootstrapApiKey: string | undefined;
  /** How often open streams (SSE, GraphQL subscriptions) re-check that their API key still authenticates. */
  keyRecheckMs: number;
}

/** Access's numeric variables, read through @tf/config's readEnv: a bad value stops start-up naming it. */
class AccessEnv {
  /** 0: the default. */
  @EnvNumber({ min: 0 }) TF_KEY_RECHECK_MS = 5_000;
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
  return {
    bootstrapApiKey: bootstrapApiKey(env),
    keyRecheckMs: readEnv(AccessEnv, env).TF_KEY_RECHECK_MS || 5_000,
  };
}

export const ACCESS_CONFIG = Symbol('ACCESS_CONFIG');
