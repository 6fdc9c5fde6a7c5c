import { EgressPolicy, egressPolicyFromEnv } from '@tf/egress';

/** Settings of the gateway's webhook API, from the environment. */
export interface WebhooksConfig {
  /** How long a rotated-out secret keeps signing deliveries (both secrets sign meanwhile). */
  rotationGraceSeconds: number;
  /** Where endpoint URLs may point (TF_WEBHOOK_ALLOW_PRIVATE_NETWORKS). */
  egress: EgressPolicy;
}

export const WEBHOOKS_CONFIG = Symbol('WEBHOOKS_CONFIG');

/** Longest grace window a rotation may ask for. */
export const MAX_ROTATION_GRACE_S = 7 * 24 * 3600;

export function webhooksConfig(env: NodeJS.ProcessEnv = process.env): WebhooksConfig {
  const raw = env.TF_WEBHOOK_ROTATION_GRACE_S;
  const grace = raw === undefined || raw === '' ? 24 * 3600 : Number(raw);
  if (!Number.isInteger(grace) || grace < 0 || grace > MAX_ROTATION_GRACE_S) {
    throw new Error(`TF_WEBHOOK_ROTATION_GRACE_S must be a whole number of seconds in 0..${MAX_ROTATION_GRACE_S}, got "${raw}"`);
  }
  return { rotationGraceSeconds: grace, egress: egressPolicyFromEnv(env) };
}
