import { isAbsolute } from 'node:path';
import { storageConfig } from '@tf/storage';
import { MediaInputRefusedError } from '../errors';
import {
  ACCEPTED_DEMUXERS,
  CONCAT_LIST_DEMUXERS,
  FILE_PROTOCOLS,
  HTTPS_PROTOCOLS,
  HTTP_PROTOCOLS,
} from './accepted-formats';

/**
 * Where ffmpeg/ffprobe reads a source from: an absolute local path (a scratch copy, a rendition) or a
 * presigned URL of the product's own S3 endpoint. Nothing else can be built, so no input of ours names a
 * protocol or a host a tenant picked.
 */
export class MediaSource {
  private constructor(
    /** What goes after `-i`: `file:` + the path (so "concat:x" or "http:x" names are files), or the URL. */
    readonly target: string,
    /** The value of `-protocol_whitelist`. */
    readonly protocols: readonly string[],
    readonly isRemote: boolean,
    /** The value of `-format_whitelist`. */
    readonly demuxers: readonly string[] = ACCEPTED_DEMUXERS,
    /** A demuxer forced with `-f` (our own concat lists); undefined: probed within `demuxers`. */
    readonly forcedFormat?: 'concat',
  ) {}

  static localFile(path: string): MediaSource {
    if (!isAbsolute(path)) throw new MediaInputRefusedError('A local media input must be an absolute path');
    return new MediaSource(`file:${path}`, FILE_PROTOCOLS, false);
  }

  /**
   * A concat list WE wrote (writeConcatList): the concat demuxer, forced, reading local MP4s named relative
   * to the list (`-safe 1` refuses absolute paths and `..`), through the file protocol only. Never a tenant's file.
   */
  static concatList(listPath: string): MediaSource {
    const list = MediaSource.localFile(listPath);
    return new MediaSource(list.target, FILE_PROTOCOLS, false, CONCAT_LIST_DEMUXERS, 'concat');
  }

  /** A URL whose origin is the configured S3 endpoint (TF_S3_ENDPOINT); any other origin is refused. */
  static storageUrl(url: string, allowedOrigin = storageConfig().endpoint.origin): MediaSource {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new MediaInputRefusedError('A remote media input must be a URL');
    }
    if (parsed.origin !== allowedOrigin || parsed.username || parsed.password) {
      throw new MediaInputRefusedError('A remote media input must be a URL of the configured object storage');
    }
    return new MediaSource(parsed.href, parsed.protocol === 'https:' ? HTTPS_PROTOCOLS : HTTP_PROTOCOLS, true);
  }

  /** A URL (http/https) goes through storageUrl, anything else is a local path. */
  static of(pathOrUrl: string | MediaSource): MediaSource {
    if (pathOrUrl instanceof MediaSource) return pathOrUrl;
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(pathOrUrl)
      ? MediaSource.storageUrl(pathOrUrl)
      : MediaSource.localFile(pathOrUrl);
  }

  /** The local path or the URL, as a caller would name it (for reading the first bytes, or a file size). */
  get location(): string {
    return this.isRemote ? this.target : this.target.slice('file:'.length);
  }
}
