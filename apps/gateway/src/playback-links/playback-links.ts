import { Inject, Injectable } from '@nestjs/common';
import { MASTER_PLAYLIST_NAME } from '@tf/media';
import type { PlaybackGrantDto } from './dto/playback-grant.dto';
import { PLAYBACK_CONFIG, PlaybackConfig } from './playback.config';
import { TokenCheck, signPlaybackToken, verifyPlaybackToken } from './playback-token';

/** What a job must have for a playback URL: HLS asked for, and its master written. */
export interface PlayableJob {
  id: string;
  spec: { enable_hls: boolean };
  packaged: unknown;
}

/**
 * Signed playback URLs of jobs, valid TF_PLAYBACK_TTL_S on TF_PUBLIC_URL: the job view carries one,
 * POST /api/v1/jobs/:id/playback mints one, the playlists and the embed page check them. No I/O.
 */
@Injectable()
export class PlaybackLinks {
  constructor(@Inject(PLAYBACK_CONFIG) private readonly config: PlaybackConfig) {}

  /** True when TF_PLAYBACK_SECRET was unset: a key of this process only. */
  get secretGenerated(): boolean {
    return this.config.secretGenerated;
  }

  /** The job's playback URL, or null while it has no HLS stream (not asked for, or not packaged yet). */
  grantFor(job: PlayableJob, now = new Date()): PlaybackGrantDto | null {
    if (!job.spec.enable_hls || !job.packaged) return null;
    // Whole seconds: the token carries its expiry in unix seconds.
    const expiresAt = new Date(Math.floor(now.getTime() / 1000) * 1000 + this.config.ttlSeconds * 1000);
    return this.grant(job.id, signPlaybackToken(this.config.secret, job.id, expiresAt), expiresAt);
  }

  /** The URL a valid token of the job stands for (what an embed page plays). */
  grant(jobId: string, token: string, expiresAt: Date): PlaybackGrantDto {
    return {
      url: `${this.config.publicBaseUrl}/playback/${jobId}/${token}/${MASTER_PLAYLIST_NAME}`,
      expires_at: expiresAt.toISOString(),
    };
  }

  /** Signature first (a forged expiry is "invalid", not "expired"), then the clock. */
  verify(jobId: string, token: string, now = new Date()): TokenCheck {
    return verifyPlaybackToken(this.config.secret, jobId, token, now);
  }
}
