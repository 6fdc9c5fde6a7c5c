/**
 * Media playlist for a WebVTT subtitle track: the whole .vtt as one segment
 * spanning the video. Simple and valid for VOD; players fetch the file once.
 */
export function renderSubtitlePlaylist(vttUri: string, durationS: number): string {
  if (!(durationS > 0)) throw new Error(`durationS must be positive, got ${durationS}`);
  return [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    // EXTINF rounded to the nearest integer must not exceed TARGETDURATION.
    `#EXT-X-TARGETDURATION:${Math.ceil(durationS)}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
    '#EXT-X-PLAYLIST-TYPE:VOD',
    `#EXTINF:${durationS.toFixed(3)},`,
    vttUri,
    '#EXT-X-ENDLIST',
    '',
  ].join('\n');
}
