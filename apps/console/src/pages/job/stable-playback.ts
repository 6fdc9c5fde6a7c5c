interface Playback {
  url: string;
  expires_at: string;
}

/** A source with less than this left is swapped for the fresh one on the next read of the job. */
export const KEEP_PLAYBACK_MS = 5 * 60_000;

/**
 * The playback link the page should show after re-reading a job. The gateway mints a new link (new
 * token, new expiry) on every read, and a new URL makes the player rebuild hls.js, throwing the viewer
 * back to 0: so the current link stays while it is for the same job and has more than a few minutes
 * to live; otherwise (another job, none yet, nearly expired) the fresh one is taken.
 */
export function stablePlayback<J extends { job_id: string; playback: Playback | null }>(
  previous: J | null,
  next: J,
  now: number,
): Playback | null {
  const current = previous?.job_id === next.job_id ? previous.playback : null;
  if (!current || !next.playback) return next.playback;
  return Date.parse(current.expires_at) - now > KEEP_PLAYBACK_MS ? current : next.playback;
}
