import { execFileSync } from 'node:child_process';
import { repoRoot } from './processes';

/**
 * The local stack's secrets as `npm run up` gives them to the services (generated once into
 * .stack/secrets.env, or TF_STACK_DIR's; a variable set in this environment wins): the admin key
 * and the playback and webhook signing secrets. Works on a clean clone (the first call makes them).
 */
export function localStackSecrets(): {
  TF_BOOTSTRAP_API_KEY: string;
  TF_PLAYBACK_SECRET: string;
  TF_WEBHOOK_SECRET: string;
} {
  const out = execFileSync('bash', ['scripts/services.sh', 'secrets'], { cwd: repoRoot, encoding: 'utf8' });
  const values = Object.fromEntries(
    out
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  for (const name of ['TF_BOOTSTRAP_API_KEY', 'TF_PLAYBACK_SECRET', 'TF_WEBHOOK_SECRET']) {
    if (!values[name]) throw new Error(`scripts/services.sh secrets gave no ${name}:\n${out}`);
  }
  return values as ReturnType<typeof localStackSecrets>;
}
