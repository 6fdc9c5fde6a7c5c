import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MediaSource } from '../input/media-source';

/** What the concat demuxer's `-safe 1` accepts: relative, portable characters, no component starting with a dot. */
const SAFE_RELATIVE_PATH = /^(?!\.)[A-Za-z0-9_-][A-Za-z0-9._-]*(\/(?!\.)[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

/**
 * One file of a concat list, with the part of it to keep (its own clock): `inpointS`/`outpointS` become ffconcat
 * `inpoint`/`outpoint`, exact with `-c copy` only at key frames of closed GOPs (chunkEncodeWindow's keepFromS and
 * keepUntilS are).
 */
export interface ConcatEntry {
  path: string;
  inpointS?: number | null;
  outpointS?: number | null;
  /**
   * ffconcat `duration`: where the next file starts in the joined timeline (this file's start + duration).
   * Needed with an outpoint set to a DECODING time (chunkOutpoint): the concat demuxer would otherwise take
   * outpoint − inpoint, short by x264's reorder delay.
   */
  durationS?: number | null;
}

/**
 * Writes an ffconcat list `<dir>/<name>` of files under `dir` (paths relative to it, in order) and returns
 * it as a MediaSource for buildChunkAssemblyArgs. The names are ours (chunk directories and rendition
 * labels); anything else is refused before ffmpeg sees it, and so is a cut point that is not a finite,
 * non-negative time (an outpoint after its inpoint) or a duration that is not positive.
 */
export async function writeConcatList(
  dir: string,
  name: string,
  entries: readonly (string | ConcatEntry)[],
): Promise<MediaSource> {
  if (entries.length === 0) throw new Error('a concat list needs at least one file');
  const files = entries.map((e) => (typeof e === 'string' ? { path: e } : e));
  for (const path of [name, ...files.map((f) => f.path)]) {
    if (!SAFE_RELATIVE_PATH.test(path)) throw new Error(`not a safe relative path for a concat list: ${path}`);
  }
  const lines = ['ffconcat version 1.0'];
  for (const f of files) {
    const inpoint = f.inpointS ?? null;
    const outpoint = f.outpointS ?? null;
    const duration = f.durationS ?? null;
    if (duration !== null && !(Number.isFinite(duration) && duration > 0))
      throw new Error(`not a duration for a concat list: ${duration}`);
    for (const t of [inpoint, outpoint])
      if (t !== null && !(Number.isFinite(t) && t >= 0)) throw new Error(`not a cut point for a concat list: ${t}`);
    if (inpoint !== null && outpoint !== null && !(outpoint > inpoint))
      throw new Error(`a concat list outpoint must follow its inpoint: ${inpoint} .. ${outpoint}`);
    lines.push(`file '${f.path}'`);
    if (inpoint !== null) lines.push(`inpoint ${inpoint.toFixed(6)}`);
    if (outpoint !== null) lines.push(`outpoint ${outpoint.toFixed(6)}`);
    if (duration !== null) lines.push(`duration ${duration.toFixed(6)}`);
  }
  const listPath = join(dir, name);
  await writeFile(listPath, [...lines, ''].join('\n'));
  return MediaSource.concatList(listPath);
}
