import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

export interface MediaPlaylistSegment {
  uri: string;
  durationS: number;
}

/** Reads the segments of a media playlist (#EXTINF + URI pairs). */
export function parseMediaPlaylist(text: string): MediaPlaylistSegment[] {
  const segments: MediaPlaylistSegment[] = [];
  let pendingDuration: number | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('#EXTINF:')) {
      pendingDuration = Number.parseFloat(line.slice('#EXTINF:'.length));
    } else if (line && !line.startsWith('#') && pendingDuration !== undefined) {
      segments.push({ uri: line, durationS: pendingDuration });
      pendingDuration = undefined;
    }
  }
  return segments;
}

export interface VariantBandwidth {
  /** Highest bit rate of any one segment, bits/s: the BANDWIDTH attribute. */
  peak: number;
  /** Total bits over total duration: the AVERAGE-BANDWIDTH attribute. */
  average: number;
  segmentCount: number;
  durationS: number;
}

/**
 * Measures a packaged variant from its segment files, as the HLS spec defines
 * BANDWIDTH (peak segment bit rate, container overhead included). Measuring
 * beats quoting -maxrate: capped CRF stays far below the cap on easy content
 * and the MPEG-TS overhead is real bytes a player has to fetch.
 */
export async function measureVariantBandwidth(playlistPath: string): Promise<VariantBandwidth> {
  const segments = parseMediaPlaylist(await readFile(playlistPath, 'utf8'));
  if (segments.length === 0) throw new Error(`${playlistPath} lists no segments`);
  // A short tail segment (the last 0.4 s of a video) is mostly headers and would overstate the peak.
  const longest = Math.max(...segments.map((s) => s.durationS));
  let peak = 0;
  let totalBits = 0;
  let durationS = 0;
  for (const segment of segments) {
    const bits = (await stat(resolve(dirname(playlistPath), segment.uri))).size * 8;
    totalBits += bits;
    durationS += segment.durationS;
    if (segment.durationS >= longest / 2) peak = Math.max(peak, bits / segment.durationS);
  }
  return { peak: Math.ceil(peak), average: Math.ceil(totalBits / durationS), segmentCount: segments.length, durationS };
}
