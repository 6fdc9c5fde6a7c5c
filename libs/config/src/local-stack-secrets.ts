import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The secrets `npm run up` generated for this checkout's local stack (scripts/lib/local-secrets.sh):
 * the admin API key and the playback and webhook signing secrets, in `<stack dir>/secrets.env`.
 * Local tools (demo, tflow, tests) read them from there; nothing in a deployment does.
 */
export const LOCAL_SECRETS_FILE = 'secrets.env';

/** `<TF_STACK_DIR or <repo>/.stack>/secrets.env`. */
export const localStackSecretsPath = (repoRoot: string, env: NodeJS.ProcessEnv = process.env): string =>
  join(env.TF_STACK_DIR || join(repoRoot, '.stack'), LOCAL_SECRETS_FILE);

/** NAME=value lines of the file; empty when it does not exist (no local stack was brought up here). */
export function readLocalStackSecrets(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  const values: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) values[match[1]] = match[2];
  }
  return values;
}
