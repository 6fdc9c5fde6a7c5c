import { EgressPolicy, egressPolicyFromEnv } from '@tf/egress';
import { bootstrapKeyProblem } from '../access/api-key';

/** Settings of the gateway, from the environment (defaults suit the local stack). */
export interface GatewayConfig {
  /** Largest accepted upload (the file part alone). */
  maxUploadBytes: number;
  /** Lifetime of the presigned GET URLs in job responses. */
  presignExpirySeconds: number;
  /** Key ensured at startup (tenant "default", every scope); other bootstrap keys are retired. Unset: none. */
  bootstrapApiKey: string | undefined;
  /** SSE comment interval that keeps proxies from closing an idle stream. */
  sseHeartbeatMs: number;
  /** How often open streams (SSE, GraphQL subscriptions) re-check that their API key still authenticates. */
  keyRecheckMs: number;
  /** How long a direct upload may stay pending before it expires and its bytes are dropped. */
  uploadExpirySeconds: number;
  /** How often each replica sweeps expired direct uploads. */
  uploadSweepIntervalMs: number;
  /** Where job and endpoint webhook URLs may point (TF_WEBHOOK_ALLOW_PRIVATE_NETWORKS). */
  webhookEgress: EgressPolicy;
  /** How long one HTTP request may take to arrive: large uploads need far more than Node's 5 min default. */
  requestTimeoutMs: number;
}

const GIB = 1024 ** 3;

const positive = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return value;
};

/** TF_BOOTSTRAP_API_KEY: unset, or a key as the gateway generates them (never an example). */
function bootstrapApiKey(env: NodeJS.ProcessEnv): string | undefined {
  const key = env.TF_BOOTSTRAP_API_KEY?.trim();
  if (!key) return undefined;
  const problem = bootstrapKeyProblem(key);
  if (problem) throw new Error(`TF_BOOTSTRAP_API_KEY ${problem}`);
  return key;
}

export function gatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return {
    maxUploadBytes: positive(env, 'TF_MAX_UPLOAD_BYTES', 10 * GIB),
    presignExpirySeconds: positive(env, 'TF_PRESIGN_EXPIRY_S', 3600),
    bootstrapApiKey: bootstrapApiKey(env),
    sseHeartbeatMs: positive(env, 'TF_SSE_HEARTBEAT_MS', 15_000),
    keyRecheckMs: positive(env, 'TF_KEY_RECHECK_MS', 5_000) || 5_000,
    uploadExpirySeconds: positive(env, 'TF_UPLOAD_EXPIRY_S', 24 * 3600) || 24 * 3600,
    uploadSweepIntervalMs: (positive(env, 'TF_UPLOAD_SWEEP_INTERVAL_S', 60) || 60) * 1000,
    webhookEgress: egressPolicyFromEnv(env),
    requestTimeoutMs: positive(env, 'TF_HTTP_REQUEST_TIMEOUT_MS', 6 * 3600_000),
  };
}

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
