interface Playback {
  url: string;
  expires_at: string;
}

/** A source with less than this left is swapped for the fresh one on the next read of the job. */
export const KEEP_PLAYBACK_MS = 5 * 60_000;

/**
 * The playback link the page should show after re-reading a job. A new URL makes the player rebuild
 * hls.js, throwing the viewer back to 0: so the current link stays while it is for the same job, the
 * job's status and outputs are unchanged, and it has more than a few minutes to live. Otherwise the
 * fresh one is taken: another job, none yet, nearly expired, or a job that moved on (the master playlist
 * gains its subtitles when the transcript lands after packaging, and hls.js reads the master only once).
 */
export function stablePlayback<
  J extends { job_id: string; status: string; outputs: readonly unknown[]; playback: Playback | null },
>(previous: J | null, next: J, now: number): Playback | null {
  const same =
    previous?.job_id === next.job_id &&
    previous.status === next.status &&
    previous.outputs.length === next.outputs.length;
  const current = same ? previous.playback : null;
  if (!current || !next.playback) return next.playback;
  return Date.parse(current.expires_at) - now > KEEP_PLAYBACK_MS ? current : next.playback;
}
