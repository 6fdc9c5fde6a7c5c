/**
 * The rendition ladder. A label names the *short side* of the output picture:
 * "720p" is 1280x720 for a landscape 16:9 source and 720x1280 for a portrait
 * one. That keeps a portrait phone clip's "720p" as sharp as a landscape one,
 * with the same pixel count and so the same bit rate budget.
 */
export interface LadderRung {
  label: string;
  /** Output short side in pixels. */
  shortSide: number;
  /** Cap on the video bit rate (bits/s): x264 encodes at constant quality below it (-maxrate). */
  maxVideoBitrate: number;
}

export const LADDER: readonly LadderRung[] = Object.freeze([
  { label: '360p', shortSide: 360, maxVideoBitrate: 800_000 },
  { label: '480p', shortSide: 480, maxVideoBitrate: 1_400_000 },
  { label: '720p', shortSide: 720, maxVideoBitrate: 2_800_000 },
  { label: '1080p', shortSide: 1080, maxVideoBitrate: 5_000_000 },
  { label: '1440p', shortSide: 1440, maxVideoBitrate: 8_000_000 },
  { label: '2160p', shortSide: 2160, maxVideoBitrate: 14_000_000 },
]);

/** AAC-LC stereo in every rendition. */
export const RENDITION_AUDIO_BITRATE = 128_000;

/** Constant quality target; -maxrate above caps it on busy scenes. */
export const RENDITION_CRF = 23;

/** H.264 VBV buffer as a multiple of -maxrate: room for peaks on keyframes, still streamable. */
export const VBV_BUFFER_FACTOR = 2;

/** Frame rates above this are halved (until they fit): 120 fps phone clips do not need 120 fps renditions. */
export const MAX_OUTPUT_FPS = 60;

export const KNOWN_LABELS: readonly string[] = LADDER.map((r) => r.label);

export function rungByLabel(label: string): LadderRung | undefined {
  return LADDER.find((r) => r.label === label);
}
