import { EnvInt, readEnv } from '@tf/config';
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

class WebhooksEnv {
  /** Whole seconds, 0..MAX_ROTATION_GRACE_S. */
  @EnvInt({ min: 0, max: MAX_ROTATION_GRACE_S }) TF_WEBHOOK_ROTATION_GRACE_S = 24 * 3600;
}

export function webhooksConfig(env: NodeJS.ProcessEnv = process.env): WebhooksConfig {
  return {
    rotationGraceSeconds: readEnv(WebhooksEnv, env).TF_WEBHOOK_ROTATION_GRACE_S,
    egress: egressPolicyFromEnv(env),
  };
}
