import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** Runs `work` in a fresh scratch directory under `parent` and always removes it afterwards. */
export async function withWorkDir<T>(parent: string, prefix: string, work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(parent, prefix));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
