import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MediaSource } from '../input/media-source';

/** What the concat demuxer's `-safe 1` accepts: relative, portable characters, no component starting with a dot. */
const SAFE_RELATIVE_PATH = /^(?!\.)[A-Za-z0-9_-][A-Za-z0-9._-]*(\/(?!\.)[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

/**
 * Writes an ffconcat list `<dir>/<name>` of files under `dir` (paths relative to it, in order) and returns
 * it as a MediaSource for buildChunkAssemblyArgs. The names are ours (chunk directories and rendition
 * labels); anything else is refused before ffmpeg sees it.
 */
export async function writeConcatList(
  dir: string,
  name: string,
  relativePaths: readonly string[],
): Promise<MediaSource> {
  if (relativePaths.length === 0) throw new Error('a concat list needs at least one file');
  for (const path of [name, ...relativePaths]) {
    if (!SAFE_RELATIVE_PATH.test(path)) throw new Error(`not a safe relative path for a concat list: ${path}`);
  }
  const listPath = join(dir, name);
  await writeFile(listPath, ['ffconcat version 1.0', ...relativePaths.map((p) => `file '${p}'`), ''].join('\n'));
  return MediaSource.concatList(listPath);
}
