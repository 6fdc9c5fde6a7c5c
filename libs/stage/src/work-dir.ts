import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Runs one job's `work` in a fresh scratch directory under `parent` (TF_WORK_DIR) and always removes it
 * afterwards. The directory is `tf-<stage>-<job id>-XXXXXX`: ffmpeg's command line (ps) and the disk show
 * which job they belong to; characters of the id other than letters, digits and `-` become `_`.
 */
export async function withJobWorkDir<T>(
  parent: string,
  stage: string,
  jobId: string,
  work: (dir: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(parent, `tf-${stage}-${jobId.replace(/[^A-Za-z0-9-]/g, '_')}-`));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
