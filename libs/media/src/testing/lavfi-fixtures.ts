// Test media made on the spot with ffmpeg's lavfi sources (testsrc2 picture,
// sine tone), so tests need no binary fixtures in the repo. Small sizes and a
// few seconds keep the suite quick on two cores. Not exported from @tf/media.
import { spawn } from 'node:child_process';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffprobeBinary } from '../binaries';
import { runFfmpeg } from '../runner/run-ffmpeg';

export interface ClipOptions {
  width: number;
  height: number;
  durationS: number;
  fps?: number;
  audio?: boolean;
  /** Index before the media data (-movflags +faststart); ffmpeg's default puts it at the end. */
  faststart?: boolean;
  /**
   * A key frame every this many frames and nowhere else (x264 superfast, with B-frames, scene cuts off), like
   * a camera's fixed GOP; default: ultrafast, x264's own key frame placement.
   */
  keyframeEveryFrames?: number;
  /** Every third frame this many milliseconds late: a variable frame rate, off any constant grid. */
  lateEveryThirdFrameMs?: number;
}

const QUIET = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error'];

export async function makeTempDir(prefix = 'tf-media-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** H.264 (+ AAC) MP4 of a moving test pattern with a 440 Hz tone. */
export async function makeClip(path: string, o: ClipOptions): Promise<string> {
  const fps = o.fps ?? 25;
  const audio = o.audio ?? true;
  await runFfmpeg([
    ...QUIET,
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${o.width}x${o.height}:rate=${fps}:duration=${o.durationS}`,
    ...(audio ? ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${o.durationS}`] : []),
    ...(o.lateEveryThirdFrameMs ? lateFrames(fps, o.lateEveryThirdFrameMs) : []),
    '-c:v',
    'libx264',
    ...(o.keyframeEveryFrames
      ? ['-preset', 'superfast', '-g', String(o.keyframeEveryFrames), '-keyint_min', String(o.keyframeEveryFrames)]
      : ['-preset', 'ultrafast']),
    ...(o.keyframeEveryFrames ? ['-sc_threshold', '0'] : []),
    '-pix_fmt',
    'yuv420p',
    ...(audio ? ['-c:a', 'aac', '-b:a', '96k'] : []),
    ...(o.faststart ? ['-movflags', '+faststart'] : []),
    path,
  ]);
  return path;
}

/** A fine time base end to end (filter, encoder, track) so a few ms survive; passthrough keeps each frame's time. */
const lateFrames = (fps: number, lateMs: number): string[] => [
  '-vf',
  `settb=1/90000,setpts='N/(${fps}*TB)+if(eq(mod(N,3),1),${lateMs / 1000},0)/TB'`,
  '-vsync',
  'passthrough',
  '-enc_time_base:v',
  '1:90000',
  '-video_track_timescale',
  '90000',
];

/**
 * A copy of an MP4 whose display matrix asks players to turn the picture 90°
 * clockwise, as phones filming portrait do. ffmpeg 5.1 has no -display_rotation;
 * its mov muxer turns the `rotate` tag into a display matrix, and writing
 * "270" yields the matrix ffprobe reports as rotation=-90, i.e. 90° clockwise
 * (the same as an iPhone portrait clip).
 */
export async function makeRotatedCopy(source: string, path: string): Promise<string> {
  await runFfmpeg([...QUIET, '-i', source, '-map', '0', '-c', 'copy', '-metadata:s:v:0', 'rotate=270', path]);
  return path;
}

export async function makeAudioOnly(path: string, durationS: number): Promise<string> {
  await runFfmpeg([
    ...QUIET,
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=440:duration=${durationS}`,
    '-c:a',
    'libmp3lame',
    '-b:a',
    '128k',
    path,
  ]);
  return path;
}

/** A single PNG frame: ffprobe sees a video stream with no duration. */
export async function makeStillImage(path: string): Promise<string> {
  await runFfmpeg([
    ...QUIET,
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=64x48',
    '-frames:v',
    '1',
    '-f',
    'image2',
    '-c:v',
    'png',
    path,
  ]);
  return path;
}

/** Writes the first `fraction` of a file to `path`: an interrupted upload. */
export async function truncateCopy(source: string, path: string, fraction: number): Promise<string> {
  const bytes = await readFile(source);
  await writeFile(path, bytes.subarray(0, Math.floor(bytes.length * fraction)));
  return path;
}

export async function writeText(path: string, text: string): Promise<string> {
  await writeFile(path, text);
  return path;
}

/** True when the MP4's moov box comes before its mdat box. */
export async function hasIndexFirst(path: string): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(4096);
    await file.read(head, 0, head.length, 0);
    const text = head.toString('latin1');
    const moov = text.indexOf('moov');
    const mdat = text.indexOf('mdat');
    return moov !== -1 && (mdat === -1 || moov < mdat);
  } finally {
    await file.close();
  }
}

/** ffprobe's JSON output for assertions the library does not need itself (packets, frames). */
export function ffprobeJson<T = Record<string, unknown>>(path: string, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffprobeBinary(), ['-v', 'error', '-of', 'json', ...args, path], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out) as T) : reject(new Error(`ffprobe ${code}: ${err}`)),
    );
  });
}
