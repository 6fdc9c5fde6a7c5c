/**
 * The demuxers an input may be opened with (ffmpeg `-format_whitelist`). A demuxer matches when one of the
 * names in its comma-separated name does: "mov" opens mov/mp4/m4a/3gp/3g2/mj2, "matroska" opens Matroska and WebM.
 *
 * Deliberately absent: every demuxer that opens OTHER inputs named by the file (hls, dash, concat, ffconcat,
 * image2 patterns, sdp/rtp/rtsp, tee, data, lavfi, subfile...), raw elementary streams, still images, and
 * anything the product does not sell. A text playlist renamed .mp4 then fails with "Format not on whitelist" and fetches
 * nothing.
 */
export const ACCEPTED_DEMUXERS: readonly string[] = Object.freeze([
  'mov', // mov, mp4, m4a, 3gp, 3g2, mj2
  'matroska', // matroska, webm
  'avi',
  'mpegts',
  'flv',
  'ogg',
  'asf', // asf, wmv
  'mpeg', // MPEG program stream (.mpg, .vob)
  // Audio-only files: opened so that they are refused as NO_VIDEO_STREAM, a clearer answer than NOT_MEDIA.
  'mp3',
  'wav',
  'aac',
  'flac',
]);

/** Our own concat lists of our own chunk MP4s (the assembly of a chunked transcode): concat, then mov only. */
export const CONCAT_LIST_DEMUXERS: readonly string[] = Object.freeze(['concat', 'mov']);

/** Protocols per kind of input (`-protocol_whitelist`): a local file reads files only, our S3 speaks http(s). */
export const FILE_PROTOCOLS: readonly string[] = Object.freeze(['file']);
export const HTTP_PROTOCOLS: readonly string[] = Object.freeze(['http', 'tcp']);
export const HTTPS_PROTOCOLS: readonly string[] = Object.freeze(['https', 'tls', 'tcp']);
