import { EnvNumber, readEnv } from '@tf/config';
import { EgressPolicy, egressPolicyFromEnv } from '@tf/egress';

/** Settings of the gateway, from the environment (defaults suit the local stack). */
export interface GatewayConfig {
  /** Largest accepted upload (the file part alone). */
  maxUploadBytes: number;
  /** Lifetime of the presigned GET URLs in job responses. */
  presignExpirySeconds: number;
  /** SSE comment interval that keeps proxies from closing an idle stream. */
  sseHeartbeatMs: number;
  /** How long a direct upload may stay pending before it expires and its bytes are dropped. */
  uploadExpirySeconds: number;
  /** How often each replica sweeps expired direct uploads. */
  uploadSweepIntervalMs: number;
  /** Where job and endpoint webhook URLs may point (TF_WEBHOOK_ALLOW_PRIVATE_NETWORKS). */
  webhookEgress: EgressPolicy;
  /** How long one HTTP request may take to arrive: large uploads need far more than Node's 5 min default. */
  requestTimeoutMs: number;
  /** How long a job record is reused by the status read in the process (0: off); its changes invalidate it at once (NOTIFY). */
  jobCacheTtlMs: number;
  /** How many job records the process keeps at most (least recently read forgotten first). */
  jobCacheMaxEntries: number;
}

const GIB = 1024 ** 3;

/** The gateway's variables, read through @tf/config's readEnv: a bad value stops start-up naming it. */
class GatewayEnv {
  @EnvNumber({ min: 0 }) TF_MAX_UPLOAD_BYTES = 10 * GIB;
  @EnvNumber({ min: 0 }) TF_PRESIGN_EXPIRY_S = 3600;
  @EnvNumber({ min: 0 }) TF_SSE_HEARTBEAT_MS = 15_000;
  @EnvNumber({ min: 0 }) TF_UPLOAD_EXPIRY_S = 24 * 3600;
  @EnvNumber({ min: 0 }) TF_UPLOAD_SWEEP_INTERVAL_S = 60;
  @EnvNumber({ min: 0 }) TF_HTTP_REQUEST_TIMEOUT_MS = 6 * 3600_000;
  /** 0: off. A backstop only: a job's changes reach the cache through its NOTIFY within milliseconds. */
  @EnvNumber({ min: 0, max: 3600 }) TF_JOB_CACHE_TTL_S = 60;
  /** A record is a few kB of objects: 2,000 jobs are some tens of MB at most. */
  @EnvNumber({ min: 1 }) TF_JOB_CACHE_MAX_ENTRIES = 2000;
}

export function gatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const read = readEnv(GatewayEnv, env);
  return {
    maxUploadBytes: read.TF_MAX_UPLOAD_BYTES,
    presignExpirySeconds: read.TF_PRESIGN_EXPIRY_S,
    sseHeartbeatMs: read.TF_SSE_HEARTBEAT_MS,
    uploadExpirySeconds: read.TF_UPLOAD_EXPIRY_S || 24 * 3600,
    uploadSweepIntervalMs: (read.TF_UPLOAD_SWEEP_INTERVAL_S || 60) * 1000,
    webhookEgress: egressPolicyFromEnv(env),
    requestTimeoutMs: read.TF_HTTP_REQUEST_TIMEOUT_MS,
    jobCacheTtlMs: read.TF_JOB_CACHE_TTL_S * 1000,
    jobCacheMaxEntries: read.TF_JOB_CACHE_MAX_ENTRIES,
  };
}

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
