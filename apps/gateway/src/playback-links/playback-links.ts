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
 * Signed playback URLs of jobs, valid at least TF_PLAYBACK_TTL_S on TF_PUBLIC_URL (one per time window): the job view carries one,
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
    // One URL per time window (a tenth of the TTL, at most 5 min), like libs/storage's reusable presigned
    // URLs: re-reads of the job view within it hand out the same URL, so the console's player keeps its
    // source; expiring at the window's end + TTL, it lives at least TTL from every moment it is handed out.
    const windowEnd = this.reusableUntil(now.getTime());
    const expiresAt = new Date(windowEnd + this.config.ttlSeconds * 1000);
    return this.grant(job.id, signPlaybackToken(this.config.secret, job.id, expiresAt), expiresAt);
  }

  /** Until when (ms since the epoch) a grant made at `now` may be handed out again and still live TF_PLAYBACK_TTL_S: its window's end. */
  reusableUntil(now: number): number {
    const windowMs = Math.max(1, Math.min(300, Math.floor(this.config.ttlSeconds / 10))) * 1000;
    return (Math.floor(now / windowMs) + 1) * windowMs;
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
