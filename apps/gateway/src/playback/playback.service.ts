import { HttpStatus, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { MASTER_PLAYLIST_NAME, VARIANT_PLAYLIST_NAME } from '@tf/media';
import { Buckets, ObjectStorage, s3ErrorCode } from '@tf/storage';
import { ApiError, jobNotFound } from '../http/api-error';
import { JobsRepository } from '../jobs/jobs.repository';
import { PlaybackLinks } from '../playback-links';
import type { PlaybackGrantDto } from '../playback-links/dto/playback-grant.dto';
import { signMediaPlaylist } from './playlist-rewrite';

/** Directory names a playlist may sit in: rendition labels (360p, 1080p...) and "subtitles". */
const PLAYLIST_DIR = /^[A-Za-z0-9_-]{1,32}$/;

const playlistNotFound = () => ApiError.notFound('PLAYBACK_NOT_FOUND', 'No such playlist');

/**
 * Signed playback: mints short-lived URLs of a job's master playlist and serves the playlists of the
 * hls-streams tree to whoever holds a valid token. Segments are not proxied: each segment URI of a
 * media playlist becomes a presigned S3 URL expiring with the token, so the bytes go from S3 (or a CDN
 * in front of it) to the player and the gateway only ever reads a few KB of playlist.
 */
@Injectable()
export class PlaybackService implements OnApplicationBootstrap {
  private readonly logger = new Logger(PlaybackService.name);

  constructor(
    private readonly jobs: JobsRepository,
    private readonly storage: ObjectStorage,
    private readonly links: PlaybackLinks,
  ) {}

  onApplicationBootstrap(): void {
    if (this.links.secretGenerated) {
      this.logger.warn(
        'TF_PLAYBACK_SECRET is unset: playback URLs are signed with a random key of this process only (other replicas and restarts refuse them); `npm run up` sets one',
      );
    }
  }

  /** A playback URL of the tenant's job on TF_PUBLIC_URL, valid for TF_PLAYBACK_TTL_S. */
  async mint(jobId: string, tenantId: string, now = new Date()): Promise<PlaybackGrantDto> {
    const job = await this.jobs.findForTenant(jobId, tenantId);
    if (!job) throw jobNotFound(jobId);
    if (!job.spec.enable_hls)
      throw new ApiError(HttpStatus.CONFLICT, 'HLS_NOT_ENABLED', `Job ${jobId} was submitted with enable_hls=false`);
    const grant = this.links.grantFor(job, now);
    if (!grant)
      throw new ApiError(
        HttpStatus.CONFLICT,
        'PLAYBACK_NOT_READY',
        `Job ${jobId} has no HLS stream yet (status ${job.status})`,
      );
    return grant;
  }

  /**
   * What a token stands for, checked as the playlists check it (an embed page asks before it plays, to show
   * an expired link as such and to know when it expires). No job read: the signature is the authorization.
   */
  describe(jobId: string, token: string, now = new Date()): PlaybackGrantDto {
    return this.links.grant(jobId, token, this.authorize(jobId, token, now));
  }

  /** hls-streams/{job}/master.m3u8 as stored: its URIs are relative and resolve to this route. */
  async master(jobId: string, token: string): Promise<string> {
    this.authorize(jobId, token);
    return this.read(`${jobId}/${MASTER_PLAYLIST_NAME}`);
  }

  /** hls-streams/{job}/{dir}/index.m3u8 with its segment URIs signed until the token expires. */
  async mediaPlaylist(jobId: string, token: string, dir: string, now = new Date()): Promise<string> {
    const expiresAt = this.authorize(jobId, token, now);
    if (!PLAYLIST_DIR.test(dir)) throw playlistNotFound();
    const key = `${jobId}/${dir}/${VARIANT_PLAYLIST_NAME}`;
    const text = await this.read(key);
    // Never past the token: S3 checks the presigned expiry itself.
    const expirySeconds = Math.max(1, Math.floor((expiresAt.getTime() - now.getTime()) / 1000));
    return signMediaPlaylist(text, key, `${jobId}/`, (k) =>
      this.storage.presignClientGet(Buckets.hls, k, expirySeconds),
    );
  }

  private authorize(jobId: string, token: string, now = new Date()): Date {
    const check = this.links.verify(jobId, token, now);
    if (check.ok) return check.expiresAt;
    if (check.reason === 'expired')
      throw new ApiError(
        HttpStatus.FORBIDDEN,
        'PLAYBACK_TOKEN_EXPIRED',
        'This playback URL has expired; ask the API for a new one',
      );
    throw new ApiError(HttpStatus.FORBIDDEN, 'PLAYBACK_TOKEN_INVALID', 'This playback URL is not valid');
  }

  private async read(key: string): Promise<string> {
    try {
      return await this.storage.getText(Buckets.hls, key);
    } catch (e) {
      if (['NoSuchKey', 'NotFound'].includes(s3ErrorCode(e) ?? '')) throw playlistNotFound();
      throw new ApiError(
        HttpStatus.SERVICE_UNAVAILABLE,
        'STORAGE_UNAVAILABLE',
        `Could not read the playlist: ${(e as Error)?.message ?? e}`,
      );
    }
  }
}
