/**
 * TF_ENV: `production` for any real deployment (the image and docker-compose set it), `development`
 * otherwise (the default: the local stack, tests). Production refuses to start without its secrets;
 * any other value is refused, so a typo ("prod") never silently drops those checks.
 */
export type DeploymentEnv = 'production' | 'development';

const DEPLOYMENT_ENVS: readonly DeploymentEnv[] = ['production', 'development'];

export function deploymentEnv(env: NodeJS.ProcessEnv = process.env): DeploymentEnv {
  const raw = (env.TF_ENV ?? '').trim();
  if (raw === '') return 'development';
  if (!(DEPLOYMENT_ENVS as readonly string[]).includes(raw))
    throw new Error(`TF_ENV must be production or development, got "${raw}"`);
  return raw as DeploymentEnv;
}

export const isProduction = (env: NodeJS.ProcessEnv = process.env): boolean => deploymentEnv(env) === 'production';

/** A variable with a local-stack default that a production deployment must set itself (addresses, credentials). */
export function requiredInProduction(env: NodeJS.ProcessEnv, name: string, localDefault: string): string {
  const raw = env[name];
  if (raw !== undefined && raw !== '') return raw;
  if (isProduction(env))
    throw new Error(`${name} is required when TF_ENV=production (its default only fits the local stack)`);
  return localDefault;
}
