/** "12.3 s", "4 min 05 s": a duration for people. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${String(Math.round(s - m * 60)).padStart(2, '0')} s`;
}

/** A time of day with seconds (the page's stages are minutes apart at most). */
export const formatTime = (iso: string | null): string => (iso ? new Date(iso).toLocaleTimeString() : '—');

/** "1.2 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** "0:07": a position in the media. */
export function formatPosition(seconds: number): string {
  const s = Math.floor(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The token of a signed playback URL (…/playback/{job}/{token}/master.m3u8): what an embed link carries. */
export function playbackToken(url: string): string | null {
  const parts = new URL(url, location.origin).pathname.split('/');
  return parts.length >= 5 && parts[1] === 'playback' ? decodeURIComponent(parts[3]) : null;
}
