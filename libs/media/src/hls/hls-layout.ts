import { join } from 'node:path';

/**
 * Where a variant's HLS files go: `<outDir>/<label>/index.m3u8` and
 * `<outDir>/<label>/seg-000.ts`... The master playlist sits in outDir and
 * refers to variants as `<label>/index.m3u8`, so the tree can be uploaded
 * under any prefix as it is.
 */
export const MASTER_PLAYLIST_NAME = 'master.m3u8';
export const VARIANT_PLAYLIST_NAME = 'index.m3u8';
const SEGMENT_PATTERN = 'seg-%03d.ts';

export interface HlsVariantLayout {
  /** Directory of the variant, to create before remuxing. */
  dir: string;
  playlistPath: string;
  segmentPattern: string;
  /** The playlist relative to the master, as written in the master. */
  uri: string;
}

export function hlsVariantLayout(outDir: string, label: string): HlsVariantLayout {
  const dir = join(outDir, label);
  return {
    dir,
    playlistPath: join(dir, VARIANT_PLAYLIST_NAME),
    segmentPattern: join(dir, SEGMENT_PATTERN),
    uri: `${label}/${VARIANT_PLAYLIST_NAME}`,
  };
}
