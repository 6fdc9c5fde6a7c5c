import { existsSync } from 'node:fs';
import * as path from 'node:path';

const WORKER_REL = path.join('libs', 'transcription', 'python', 'whisper_worker.py');

/** The monorepo root: the first ancestor of this file (source or dist) that holds the Python worker. */
export function findRepoRoot(start: string = __dirname): string {
  let dir = path.resolve(start);
  for (;;) {
    if (existsSync(path.join(dir, WORKER_REL))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

/** Path of whisper_worker.py. */
export function defaultWorkerScript(root: string = findRepoRoot()): string {
  return path.join(root, WORKER_REL);
}

/** TF_WHISPER_PYTHON (relative paths are taken from the repo root), else <repo>/.stack/venv/bin/python. */
export function defaultPython(env: NodeJS.ProcessEnv = process.env, root: string = findRepoRoot()): string {
  const configured = env.TF_WHISPER_PYTHON?.trim();
  if (configured) {
    if (path.isAbsolute(configured) || !configured.includes('/')) return configured; // absolute, or a bare command on PATH
    return path.resolve(root, configured);
  }
  return path.join(root, '.stack', 'venv', 'bin', 'python');
}
