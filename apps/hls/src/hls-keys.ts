import { MASTER_PLAYLIST_NAME, VARIANT_PLAYLIST_NAME } from '@tf/media';

/**
 * Layout of a job in the hls-streams bucket. Every URI inside the playlists is relative, so the
 * tree plays from any base (a CDN, a presigned prefix proxy, a local copy):
 *   {job}/master.m3u8
 *   {job}/{label}/index.m3u8, {job}/{label}/seg-000.ts ...
 *   {job}/subtitles/index.m3u8, {job}/subtitles/transcript.vtt   (once a transcript is known)
 */
const SUBTITLES_DIR = 'subtitles';
export const SUBTITLE_VTT_NAME = 'transcript.vtt';
export const SUBTITLE_PLAYLIST_URI = `${SUBTITLES_DIR}/${VARIANT_PLAYLIST_NAME}`;

export const masterKey = (jobId: string): string => `${jobId}/${MASTER_PLAYLIST_NAME}`;
export const variantFileKey = (jobId: string, label: string, fileName: string): string =>
  `${jobId}/${label}/${fileName}`;
export const subtitlePlaylistKey = (jobId: string): string => `${jobId}/${SUBTITLE_PLAYLIST_URI}`;
export const subtitleVttKey = (jobId: string): string => `${jobId}/${SUBTITLES_DIR}/${SUBTITLE_VTT_NAME}`;

export const M3U8_CONTENT_TYPE = 'application/vnd.apple.mpegurl';
export const VTT_CONTENT_TYPE = 'text/vtt';

const CONTENT_TYPES: Record<string, string> = {
  '.m3u8': M3U8_CONTENT_TYPE,
  '.ts': 'video/mp2t',
  '.vtt': VTT_CONTENT_TYPE,
};
export const hlsContentType = (fileName: string): string =>
  CONTENT_TYPES[fileName.slice(fileName.lastIndexOf('.'))] ?? 'application/octet-stream';
