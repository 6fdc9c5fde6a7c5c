import { mediaBudgetSettingsFromEnv } from '../runner/media-budget';
import { MediaSource } from './media-source';

export interface InputOptions {
  /** I/O timeout of every read (`-rw_timeout`): a stalled read fails instead of hanging. Default: TF_MEDIA_RW_TIMEOUT_S (30 s). */
  rwTimeoutS?: number;
  /** Decoders refuse a picture with more pixels (`-max_pixels`): checks every decoded frame, not the header. */
  maxPixels?: number;
  /** Start this many seconds before the end (`-sseof`). */
  seekFromEndS?: number;
  /**
   * Read from this position (`-ss` before `-i`: the demuxer seeks to the key frame at or before it, and the
   * frames before it are decoded and dropped), and up to (excluding) `untilS` (`-to`). Output timestamps
   * then start at 0. A chunk of a split transcode reads its time range this way, over the presigned URL.
   */
  fromS?: number;
  untilS?: number;
}

/**
 * THE way an input is given to ffmpeg or ffprobe: the per-input options restricting what the input may be,
 * then `-i`. Every builder of @tf/media puts its inputs through this function; nothing else writes `-i`.
 *
 * - `-format_whitelist`: only the containers the product accepts (no playlist or list formats that open
 *   further inputs).
 * - `-protocol_whitelist`: `file` for a local path, http(s)+tcp(+tls) for our S3; inherited by anything
 *   the demuxer would open, so even an accepted container cannot reach another protocol.
 * - `-rw_timeout`: no read waits forever.
 */
export function inputArgs(source: string | MediaSource, options: InputOptions = {}): string[] {
  const input = MediaSource.of(source);
  const rwTimeoutUs = Math.round((options.rwTimeoutS ?? mediaBudgetSettingsFromEnv().rwTimeoutS) * 1_000_000);
  return [
    '-format_whitelist',
    input.demuxers.join(','),
    '-protocol_whitelist',
    input.protocols.join(','),
    '-rw_timeout',
    String(rwTimeoutUs),
    // A presigned GET survives a dropped connection by asking again from where it stopped (same object, same URL).
    ...(input.isRemote ? ['-reconnect', '1', '-reconnect_streamed', '1', '-reconnect_delay_max', '5'] : []),
    ...(options.maxPixels ? ['-max_pixels', String(Math.floor(options.maxPixels))] : []),
    ...(options.seekFromEndS !== undefined ? ['-sseof', `-${options.seekFromEndS}`] : []),
    ...(options.fromS !== undefined ? ['-ss', seconds(options.fromS)] : []),
    ...(options.untilS !== undefined ? ['-to', seconds(options.untilS)] : []),
    // Our own list: relative names only (-safe 1), each opened under the same whitelists.
    ...(input.forcedFormat ? ['-f', input.forcedFormat, '-safe', '1'] : []),
    '-i',
    input.target,
  ];
}

/** Microsecond precision, ffmpeg's own time unit: a key frame's time as ffprobe printed it stays exact. */
const seconds = (value: number): string => value.toFixed(6);
