import { mediaBudgetSettingsFromEnv } from '../runner/media-budget';
import { ACCEPTED_DEMUXERS } from './accepted-formats';
import { MediaSource } from './media-source';

export interface InputOptions {
  /** I/O timeout of every read (`-rw_timeout`): a stalled read fails instead of hanging. Default: TF_MEDIA_RW_TIMEOUT_S (30 s). */
  rwTimeoutS?: number;
  /** Decoders refuse a picture with more pixels (`-max_pixels`): checks every decoded frame, not the header. */
  maxPixels?: number;
  /** Start this many seconds before the end (`-sseof`). */
  seekFromEndS?: number;
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
    ACCEPTED_DEMUXERS.join(','),
    '-protocol_whitelist',
    input.protocols.join(','),
    '-rw_timeout',
    String(rwTimeoutUs),
    // A presigned GET survives a dropped connection by asking again from where it stopped (same object, same URL).
    ...(input.isRemote ? ['-reconnect', '1', '-reconnect_streamed', '1', '-reconnect_delay_max', '5'] : []),
    ...(options.maxPixels ? ['-max_pixels', String(Math.floor(options.maxPixels))] : []),
    ...(options.seekFromEndS !== undefined ? ['-sseof', `-${options.seekFromEndS}`] : []),
    '-i',
    input.target,
  ];
}
