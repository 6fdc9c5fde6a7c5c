import { posix } from 'node:path';

/** Turns the key of an object of the job's HLS tree into a URL a player can GET (a presigned S3 URL). */
export type SignKey = (key: string) => Promise<string>;

const ABSOLUTE = /^[a-z][a-z0-9+.-]*:/i;
const URI_ATTRIBUTE = /URI="([^"]*)"/g;

/**
 * The key a relative URI of the playlist at `playlistKey` names, or null for an absolute URI or one
 * that leaves the job's tree (`jobPrefix`).
 */
export function resolveKey(playlistKey: string, uri: string, jobPrefix: string): string | null {
  if (!uri || ABSOLUTE.test(uri) || uri.startsWith('/')) return null;
  const path = uri.split(/[?#]/)[0];
  const key = posix.normalize(posix.join(posix.dirname(playlistKey), path));
  return key.startsWith(jobPrefix) && !key.includes('..') ? key : null;
}

/**
 * A media playlist (variant or subtitles) with every media URI — the segment lines and URI="..."
 * attributes (EXT-X-MAP, EXT-X-KEY) — replaced by a signed URL of the object it names. Lines stay in
 * order; tags and absolute URIs pass through unchanged.
 */
export async function signMediaPlaylist(
  text: string,
  playlistKey: string,
  jobPrefix: string,
  sign: SignKey,
): Promise<string> {
  const lines = text.split(/\r?\n/);
  const out = await Promise.all(
    lines.map(async (line) => {
      const trimmed = line.trim();
      if (!trimmed) return line;
      if (trimmed.startsWith('#')) {
        if (!trimmed.includes('URI="')) return line;
        let rewritten = line;
        for (const [attr, uri] of line.matchAll(URI_ATTRIBUTE)) {
          const key = resolveKey(playlistKey, uri, jobPrefix);
          if (key) rewritten = rewritten.replace(attr, `URI="${await sign(key)}"`);
        }
        return rewritten;
      }
      const key = resolveKey(playlistKey, trimmed, jobPrefix);
      return key ? sign(key) : line;
    }),
  );
  return out.join('\n');
}
