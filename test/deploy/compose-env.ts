import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const APPS = ['gateway', 'validator', 'transcoder', 'hls', 'transcriber', 'notifier'] as const;

/** Env vars only tests, CLIs or tools read, never a service: compose need not set them. */
const NOT_SERVICE_CONFIG = /^TF_(TEST_|API_URL$|API_KEY$|STACK_|SERVICE_START_TIMEOUT$)/;

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === '__fixtures__' || name === 'testing' ? [] : walk(path);
    return /\.(ts|py)$/.test(name) && !/\.spec\.ts$/.test(name) ? [path] : [];
  });

/** Libraries an app reaches through @tf/* imports, transitively. */
export function libsOf(root: string, app: string): string[] {
  const seen = new Set<string>();
  const visit = (dir: string) => {
    for (const file of walk(dir)) {
      for (const [, lib] of readFileSync(file, 'utf8').matchAll(/from '@tf\/([a-z-]+)'/g)) {
        if (!seen.has(lib) && existsSync(join(root, 'libs', lib, 'src'))) {
          seen.add(lib);
          visit(join(root, 'libs', lib));
        }
      }
    }
  };
  visit(join(root, 'apps', app, 'src'));
  return [...seen].sort();
}

/** Every TF_* / OTEL_* variable named in the code an app runs (its sources and its libraries). */
export function envVarsReadBy(root: string, app: string): Map<string, string> {
  const found = new Map<string, string>();
  const dirs = [join(root, 'apps', app, 'src'), ...libsOf(root, app).map((lib) => join(root, 'libs', lib))];
  for (const file of dirs.flatMap(walk)) {
    for (const [name] of readFileSync(file, 'utf8').matchAll(/\b(?:TF|OTEL)_[A-Z0-9_]*[A-Z0-9]\b/g)) {
      if (!NOT_SERVICE_CONFIG.test(name) && !found.has(name)) found.set(name, relative(root, file));
    }
  }
  return found;
}
