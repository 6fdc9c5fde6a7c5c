import { randomBytes } from 'node:crypto';
import { isProduction } from './deployment-env';

/** Shortest signing secret production accepts: 32 characters (what `npm run compose:env` makes is 43). */
export const MIN_SECRET_LENGTH = 32;

/**
 * Values that are public: the defaults earlier versions shipped and placeholders from docs. A secret
 * anyone can read signs nothing, so these are refused everywhere, not only in production.
 */
export const EXAMPLE_SECRETS: ReadonlySet<string> = new Set([
  'tfpb_local_development_secret',
  'tf-dev-webhook-secret',
  'whsec_local_development_secret',
  'changeme',
  'change-me',
  'change_me',
  'secret',
  'password',
]);

export interface SigningSecret {
  value: string;
  /**
   * TF_ENV is not production and the variable is unset: a random secret of this process only (nothing
   * public signs anything), so what it signs is not verifiable elsewhere. The app warns at start-up.
   */
  generated: boolean;
}

/**
 * An HMAC key from the environment. Production: required, at least MIN_SECRET_LENGTH characters, not
 * an example. Elsewhere: an example is still refused, and an unset one becomes a random per-process key.
 * Every problem throws an Error naming the variable, so start-up stops and says which one.
 */
export function signingSecret(env: NodeJS.ProcessEnv, name: string): SigningSecret {
  const value = env[name] ?? '';
  const production = isProduction(env);
  if (value === '') {
    if (production)
      throw new Error(
        `${name} is required when TF_ENV=production: a random value of at least ${MIN_SECRET_LENGTH} characters (npm run compose:env makes one)`,
      );
    return { value: randomBytes(32).toString('base64url'), generated: true };
  }
  if (EXAMPLE_SECRETS.has(value.trim().toLowerCase()))
    throw new Error(
      `${name} is a published example value, not a secret: set a random one (npm run compose:env makes one)`,
    );
  if (production && value.length < MIN_SECRET_LENGTH)
    throw new Error(
      `${name} is too short for TF_ENV=production: ${value.length} characters, at least ${MIN_SECRET_LENGTH} needed`,
    );
  return { value, generated: false };
}
