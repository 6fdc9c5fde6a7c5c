// The benches' reference point: what a person would type to get the transcoder's outputs from one ffmpeg
// command (360p + 720p MP4, an MP3, 5 thumbnails), with the same x264/AAC/MP3/JPEG settings as @tf/media's
// builders (see libs/media/src/ffmpeg) but written by hand, plus the cached 1080p source they all read and
// the CPU-time wrapper around ffmpeg. Shared by transcode.bench.ts and pipeline.bench.ts.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { bashTimesSeconds } from './measure';

/** Global options of every bench ffmpeg run. */
export const QUIET = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error'];

/** Runs ffmpeg (FFMPEG_PATH if set, so the CPU-time wrapper sees it) and waits; errors go to the bench's stderr. */
export function ffmpegSync(args: string[]): void {
  execFileSync(process.env.FFMPEG_PATH || 'ffmpeg', [...QUIET, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** "ffmpeg version 5.1.9-0+deb12u1" */
export function ffmpegVersion(): string {
  return execFileSync('ffmpeg', ['-version']).toString().split('\n')[0].split(' ').slice(0, 3).join(' ');
}

// ---- the hand-written command -------------------------------------------------------------------------

export const x264 = (maxrate: string, level: string): string[] => [
  '-c:v',
  'libx264',
  '-preset',
  'veryfast',
  '-profile:v',
  'high',
  '-level:v',
  level,
  '-pix_fmt',
  'yuv420p',
  '-crf',
  '23',
  '-maxrate',
  maxrate,
  '-bufsize',
  `${2 * parseInt(maxrate, 10)}k`,
  '-g',
  '60',
  '-keyint_min',
  '60',
  '-sc_threshold',
  '0',
  '-force_key_frames',
  'expr:gte(t,n_forced*2)',
];
export const aac = ['-c:a', 'aac', '-b:a', '128k', '-ac', '2', '-ar', '48000'];
export const mp3 = ['-c:a', 'libmp3lame', '-b:a', '192k', '-ac', '2', '-ar', '44100'];

/** 5 thumbnails at 10/30/50/70/90 % of the clip. */
export const thumbTimes = (durationS: number): number[] => [0.1, 0.3, 0.5, 0.7, 0.9].map((p) => p * durationS);

/** What the hand-written command (and the transcoder, for 360p,720p) writes. */
export const BASELINE_OUTPUTS = [
  '360p.mp4',
  '720p.mp4',
  'audio.mp3',
  ...[1, 2, 3, 4, 5].map((n) => `thumb-${n}.jpg`),
].sort();

/** One command, one decode: split the picture three ways (two scales, a thumbnail select); the audio twice. */
export function baselineArgs(source: string, out: string, durationS: number): string[] {
  const select = thumbTimes(durationS)
    .map((t) => `gte(t,${t})*(isnan(prev_selected_t)+lt(prev_selected_t,${t}))`)
    .join('+');
  return [
    '-i',
    source,
    '-filter_complex',
    `[0:v]split=3[a][b][c];[a]scale=640:360[v360];[b]scale=1280:720[v720];[c]select='${select}',scale=640:-2[thumbs]`,
    '-map',
    '[v360]',
    '-map',
    '0:a',
    ...x264('800k', '3.0'),
    ...aac,
    '-movflags',
    '+faststart',
    path.join(out, '360p.mp4'),
    '-map',
    '[v720]',
    '-map',
    '0:a',
    ...x264('2800k', '3.1'),
    ...aac,
    '-movflags',
    '+faststart',
    path.join(out, '720p.mp4'),
    '-map',
    '0:a',
    '-vn',
    ...mp3,
    path.join(out, 'audio.mp3'),
    '-map',
    '[thumbs]',
    '-frames:v',
    '5',
    '-fps_mode',
    'passthrough',
    '-q:v',
    '3',
    path.join(out, 'thumb-%d.jpg'),
  ];
}

// ---- the source -------------------------------------------------------------------------------------------

/**
 * Spoken over the speech source: 59 s of espeak-ng at 150 words/min, padded with silence to 60 s, so that the
 * transcriber has real work (a tone would be dropped by its voice-activity filter in no time).
 */
export const SPEECH_TEXT = [
  'Good morning, and welcome to this short product walkthrough.',
  'Today we follow one video file from the moment it is uploaded until it can be watched on any screen.',
  'First, the upload service stores the original file and records a new job.',
  'A validator then opens the file, checks that the picture and the sound can be decoded, and measures the duration, the frame size and the frame rate.',
  'Next, the transcoder reads the source once and writes every rendition in a single pass, together with an audio track and a handful of preview images.',
  'The packaging service cuts each rendition into short segments and writes the playlists that a player needs for adaptive streaming.',
  'At the same time, a speech recognition model listens to the soundtrack and produces captions.',
  'When every stage has finished, the job is marked as complete and a signed notification is sent to the customer.',
  'Thank you for watching.',
].join(' ');

export interface SourceOptions {
  seconds: number;
  /** 440 Hz tone (the transcoder bench) or espeak-ng speech (SPEECH_TEXT, for the transcriber). */
  audio: 'tone' | 'speech';
  cacheDir?: string;
}

/**
 * A 1080p30 source like a camera upload: moving test pattern (testsrc2) and a tone or speech, H.264 veryfast
 * CRF 20 + AAC 160 kbit/s 48 kHz, faststart. Cached in the temp directory across runs (≈ 55 MB per minute).
 */
export function makeSource({ seconds, audio, cacheDir = tmpdir() }: SourceOptions): string {
  const file = path.join(cacheDir, `tf-bench-source-1080p-${seconds}s${audio === 'speech' ? '-speech' : ''}.mp4`);
  if (existsSync(file)) return file;
  console.log(`generating ${file} ...`);
  const part = `${file}.part.mp4`;
  const wav = `${file}.speech.wav`;
  try {
    let audioIn = ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`];
    if (audio === 'speech') {
      execFileSync('espeak-ng', ['-s', '150', '-w', wav, SPEECH_TEXT], { stdio: ['ignore', 'ignore', 'inherit'] });
      audioIn = ['-i', wav, '-af', 'apad,aresample=48000', '-ac', '2'];
    }
    ffmpegSync([
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=1920x1080:rate=30:duration=${seconds}`,
      ...audioIn,
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-crf',
      '20',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-b:a',
      '160k',
      '-t',
      String(seconds),
      '-movflags',
      '+faststart',
      part,
    ]);
    renameSync(part, file);
  } finally {
    rmSync(part, { force: true });
    rmSync(wav, { force: true });
  }
  return file;
}

// ---- CPU time ------------------------------------------------------------------------------------------------

export interface CpuTimer {
  /** Point FFMPEG_PATH (which runFfmpeg and ffmpegSync honour) here. */
  wrapper: string;
  reset(): void;
  /** user + system seconds of every ffmpeg since reset. */
  total(): number;
}

/**
 * CPU time is the number to compare on a shared machine: wall time under load says more about the neighbours
 * than about the command. A bash wrapper around ffmpeg appends the children's user and system time (bash
 * `times`) to a log after each ffmpeg; pointing FFMPEG_PATH at it measures every variant the same way.
 */
export function makeCpuTimingWrapper(dir: string): CpuTimer {
  const realFfmpeg = execFileSync('bash', ['-c', 'command -v ffmpeg']).toString().trim();
  const wrapper = path.join(dir, 'ffmpeg-timed.sh');
  const log = path.join(dir, 'cpu.log');
  // `times` prints two lines, the shell's own and its children's; it must not run in a pipe (a subshell has no children).
  writeFileSync(wrapper, `#!/usr/bin/env bash\n"${realFfmpeg}" "$@"\nrc=$?\ntimes >> "${log}"\nexit $rc\n`, {
    mode: 0o755,
  });
  return {
    wrapper,
    reset: () => writeFileSync(log, ''),
    total: () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .filter((_, i) => i % 2 === 1) // the children's line
        .map(bashTimesSeconds)
        .reduce((a, b) => a + b, 0),
  };
}
