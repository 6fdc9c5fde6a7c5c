import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { runFfmpeg } from '@tf/media';

const exec = promisify(execFile);
const QUIET = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error'];

/** Sentences the demo and the end-to-end tests speak (and later expect back from Whisper). */
export const SAMPLE_SENTENCES = [
  'Welcome to Transcode Flow.',
  'This video was uploaded, validated and transcoded by a chain of small services.',
  'Every stage talks to the next one through Kafka.',
];

export interface SampleClipOptions {
  width: number;
  height: number;
  durationS: number;
  fps?: number;
  /** Spoken text (espeak-ng) mixed over silence; `false` makes a clip without an audio stream. */
  speech?: string[] | false;
  /** A sine tone instead of speech. */
  tone?: boolean;
  /**
   * Constant video bit rate (e.g. '36M'; x264 pads with filler): a file of a chosen size, such as one
   * larger than a direct upload's single-PUT limit, from a few seconds of picture.
   */
  videoBitrate?: string;
}

/** An H.264/AAC MP4 made on the spot: testsrc2 picture plus espeak-ng speech (or a tone, or nothing). */
export async function makeSampleClip(path: string, o: SampleClipOptions): Promise<string> {
  const fps = o.fps ?? 30;
  const video = ['-f', 'lavfi', '-i', `testsrc2=size=${o.width}x${o.height}:rate=${fps}:duration=${o.durationS}`];
  let audio: string[] = [];
  if (o.tone) audio = ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${o.durationS}`];
  else if (o.speech !== false) {
    const wav = `${path}.speech.wav`;
    await exec('espeak-ng', ['-s', '150', '-w', wav, (o.speech ?? SAMPLE_SENTENCES).join(' ')]);
    audio = ['-i', wav];
  }
  await runFfmpeg([
    ...QUIET,
    ...video,
    ...audio,
    ...(audio.length ? ['-filter:a', `apad,aresample=48000`, '-ac', '2', '-c:a', 'aac', '-b:a', '128k'] : []),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    ...(o.videoBitrate
      ? ['-b:v', o.videoBitrate, '-minrate', o.videoBitrate, '-maxrate', o.videoBitrate, '-bufsize', '4M']
      : []),
    ...(o.videoBitrate ? ['-x264-params', 'nal-hrd=cbr'] : []),
    '-t',
    String(o.durationS),
    '-movflags',
    '+faststart',
    path,
  ]);
  if (audio.length && !o.tone) await exec('rm', ['-f', `${path}.speech.wav`]);
  return path;
}
