/**
 * Picks the lowest H.264 level (ITU-T H.264 Annex A, Table A-1) that a stream
 * fits in. We choose the level ourselves and hand it to x264 (-level:v) so the
 * RFC 6381 CODECS string is known before encoding and is identical for every
 * job with the same rendition.
 */
interface H264Level {
  /** level_idc: 31 for level 3.1. */
  idc: number;
  /** Max macroblocks per second. */
  maxMbps: number;
  /** Max frame size in macroblocks. */
  maxFs: number;
  /** Max video bit rate (kbit/s) and coded picture buffer (kbit), Baseline/Main values; High gets 1.25x, see below. */
  maxBr: number;
  maxCpb: number;
}

const LEVELS: readonly H264Level[] = [
  { idc: 10, maxMbps: 1485, maxFs: 99, maxBr: 64, maxCpb: 175 },
  { idc: 11, maxMbps: 3000, maxFs: 396, maxBr: 192, maxCpb: 500 },
  { idc: 12, maxMbps: 6000, maxFs: 396, maxBr: 384, maxCpb: 1000 },
  { idc: 13, maxMbps: 11880, maxFs: 396, maxBr: 768, maxCpb: 2000 },
  { idc: 20, maxMbps: 11880, maxFs: 396, maxBr: 2000, maxCpb: 2000 },
  { idc: 21, maxMbps: 19800, maxFs: 792, maxBr: 4000, maxCpb: 4000 },
  { idc: 22, maxMbps: 20250, maxFs: 1620, maxBr: 4000, maxCpb: 4000 },
  { idc: 30, maxMbps: 40500, maxFs: 1620, maxBr: 10000, maxCpb: 10000 },
  { idc: 31, maxMbps: 108000, maxFs: 3600, maxBr: 14000, maxCpb: 14000 },
  { idc: 32, maxMbps: 216000, maxFs: 5120, maxBr: 20000, maxCpb: 20000 },
  { idc: 40, maxMbps: 245760, maxFs: 8192, maxBr: 20000, maxCpb: 25000 },
  { idc: 41, maxMbps: 245760, maxFs: 8192, maxBr: 50000, maxCpb: 62500 },
  { idc: 42, maxMbps: 522240, maxFs: 8704, maxBr: 50000, maxCpb: 62500 },
  { idc: 50, maxMbps: 589824, maxFs: 22080, maxBr: 135000, maxCpb: 135000 },
  { idc: 51, maxMbps: 983040, maxFs: 36864, maxBr: 240000, maxCpb: 240000 },
  { idc: 52, maxMbps: 2073600, maxFs: 36864, maxBr: 240000, maxCpb: 240000 },
];

/** High profile may use 1.25x the Table A-1 bit rates (cpbBrVclFactor 1250 instead of 1000). */
const HIGH_PROFILE_BR_FACTOR = 1250;

export interface H264StreamShape {
  width: number;
  height: number;
  fps: number;
  /** -maxrate in bits/s. */
  maxBitrate: number;
  /** -bufsize in bits. */
  bufferSize: number;
}

/** level_idc (e.g. 31) of the lowest High-profile level that admits the stream; 52 when none does. */
export function h264LevelFor(shape: H264StreamShape): number {
  const widthMbs = Math.ceil(shape.width / 16);
  const heightMbs = Math.ceil(shape.height / 16);
  const frameMbs = widthMbs * heightMbs;
  const fits = (level: H264Level) =>
    frameMbs <= level.maxFs &&
    // Neither side may exceed sqrt(8 * MaxFS) macroblocks (Annex A.3.1 f, g).
    Math.max(widthMbs, heightMbs) <= Math.sqrt(8 * level.maxFs) &&
    frameMbs * shape.fps <= level.maxMbps &&
    shape.maxBitrate <= level.maxBr * HIGH_PROFILE_BR_FACTOR &&
    shape.bufferSize <= level.maxCpb * HIGH_PROFILE_BR_FACTOR;
  return (LEVELS.find(fits) ?? LEVELS[LEVELS.length - 1]).idc;
}

/** x264's spelling of a level_idc: 31 -> "3.1". */
export function levelIdcToString(idc: number): string {
  return `${Math.floor(idc / 10)}.${idc % 10}`;
}
