export interface MasterVariant {
  /** Media playlist URI relative to the master, e.g. "720p/index.m3u8". */
  uri: string;
  /** Peak bit rate, bits/s. */
  bandwidth: number;
  averageBandwidth?: number;
  width: number;
  height: number;
  /** RFC 6381, e.g. "avc1.64001f,mp4a.40.2". */
  codecs: string;
  frameRate?: number;
}

export interface SubtitleTrack {
  /** Subtitle media playlist URI relative to the master (see renderSubtitlePlaylist). */
  uri: string;
  /** BCP 47 / ISO 639-1, e.g. "en". */
  language: string;
  /** Shown in the player's menu, e.g. "English". */
  name: string;
}

export interface MasterPlaylistOptions {
  subtitles?: SubtitleTrack;
}

/** GROUP-ID of the subtitle rendition group; every variant refers to it. */
export const SUBTITLE_GROUP_ID = 'subs';

/**
 * Renders the multivariant (master) playlist. Variants are listed by
 * ascending bandwidth: players that start with the first entry start with the
 * cheapest and move up once they have measured the network.
 */
export function renderMasterPlaylist(variants: readonly MasterVariant[], options: MasterPlaylistOptions = {}): string {
  if (variants.length === 0) throw new Error('A master playlist needs at least one variant');
  const lines = ['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-INDEPENDENT-SEGMENTS'];

  const { subtitles } = options;
  if (subtitles) {
    lines.push(
      `#EXT-X-MEDIA:${attributes([
        ['TYPE', 'SUBTITLES'],
        ['GROUP-ID', quoted(SUBTITLE_GROUP_ID)],
        ['NAME', quoted(subtitles.name)],
        ['LANGUAGE', quoted(subtitles.language)],
        ['DEFAULT', 'NO'],
        ['AUTOSELECT', 'YES'],
        ['FORCED', 'NO'],
        ['URI', quoted(subtitles.uri)],
      ])}`,
    );
  }

  for (const variant of [...variants].sort((a, b) => a.bandwidth - b.bandwidth)) {
    lines.push(
      `#EXT-X-STREAM-INF:${attributes([
        ['BANDWIDTH', String(Math.ceil(variant.bandwidth))],
        ['AVERAGE-BANDWIDTH', variant.averageBandwidth ? String(Math.ceil(variant.averageBandwidth)) : undefined],
        ['RESOLUTION', `${variant.width}x${variant.height}`],
        ['FRAME-RATE', variant.frameRate ? variant.frameRate.toFixed(3) : undefined],
        ['CODECS', quoted(variant.codecs)],
        ['SUBTITLES', subtitles ? quoted(SUBTITLE_GROUP_ID) : undefined],
      ])}`,
      variant.uri,
    );
  }
  return `${lines.join('\n')}\n`;
}

function attributes(pairs: [string, string | undefined][]): string {
  return pairs
    .filter((pair): pair is [string, string] => pair[1] !== undefined)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

/** Quoted-string attribute: the spec forbids '"', CR and LF inside. */
function quoted(value: string): string {
  return `"${value.replace(/["\r\n]/g, '')}"`;
}
