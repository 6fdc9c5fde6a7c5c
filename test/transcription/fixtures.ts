import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

/** Known English sentences (no digits, so the reference needs no number normalization). About 25 s with espeak-ng. */
export const ENGLISH_SENTENCES = [
  'The quick brown fox jumps over the lazy dog.',
  'Every uploaded video is checked, transcoded into several renditions, and packaged for adaptive streaming.',
  'Captions are generated automatically from the spoken words in the soundtrack.',
  'Please remember to turn off the lights when you leave the office tonight.',
  'The weather tomorrow will be sunny in the morning with light rain in the evening.',
  'She sells sea shells by the sea shore.',
];

/** German sentences for language detection. espeak-ng's German is robotic: these gave 'de' at p≈0.71 (next: 0.07). */
export const GERMAN_SENTENCES = [
  'Ich wohne seit vielen Jahren in Berlin und arbeite als Lehrerin an einer Schule.',
  'Am Wochenende fahre ich gern mit dem Fahrrad.',
];

function run(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** espeak-ng speech as a WAV file. */
export function speak(text: string, outWav: string, voice = 'en-us', wordsPerMinute = 160): string {
  run('espeak-ng', ['-v', voice, '-s', String(wordsPerMinute), '-w', outWav, text]);
  return outWav;
}

/** A small testsrc2 video carrying `speechWav`, delayed by `leadS` and followed by `tailS` of silence (H.264 + AAC). */
export function muxSpeechVideo(speechWav: string, outMp4: string, leadS = 1.5, tailS = 1.5): string {
  const ms = Math.round(leadS * 1000);
  run('ffmpeg', [
    '-nostdin',
    '-loglevel',
    'error',
    '-y',
    '-i',
    speechWav,
    '-f',
    'lavfi',
    '-i',
    'testsrc2=s=320x240:r=15',
    '-filter_complex',
    `[0:a]adelay=${ms}:all=1,apad=pad_dur=${tailS},aresample=44100[a]`,
    '-map',
    '1:v',
    '-map',
    '[a]',
    '-shortest',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-b:a',
    '96k',
    outMp4,
  ]);
  return outMp4;
}

/** A testsrc2 video with a silent (anullsrc) audio track, or with no audio stream at all. */
export function silentVideo(outMp4: string, seconds: number, withAudioTrack: boolean): string {
  const audio = withAudioTrack ? ['-f', 'lavfi', '-i', 'anullsrc=r=44100:cl=stereo'] : [];
  run('ffmpeg', [
    '-nostdin',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=s=320x240:r=15:d=${seconds}`,
    ...audio,
    ...(withAudioTrack ? ['-map', '0:v', '-map', '1:a', '-c:a', 'aac'] : []),
    '-t',
    String(seconds),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    outMp4,
  ]);
  return outMp4;
}

/** Duration in seconds of a media file (ffprobe). */
export function probeDuration(file: string): number {
  const out = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]);
  return Number.parseFloat(out.toString().trim());
}

/** Number of audio streams in a media file. */
export function audioStreamCount(file: string): number {
  const out = execFileSync('ffprobe', [
    '-v',
    'error',
    '-select_streams',
    'a',
    '-show_entries',
    'stream=index',
    '-of',
    'csv=p=0',
    file,
  ]);
  return out.toString().trim().split('\n').filter(Boolean).length;
}

export const join = path.join;

/** A loopback HTTP server for one file, with Range support (like S3), to test URL inputs. */
export async function serveFile(
  file: string,
): Promise<{ url: string; close: () => Promise<void>; rangeRequests: () => number }> {
  const http = await import('node:http');
  const fs = await import('node:fs');
  let ranges = 0;
  const server = http.createServer((req, res) => {
    const size = fs.statSync(file).size;
    const m = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
    if (m) {
      ranges += 1;
      const start = m[1] ? Number(m[1]) : size - Number(m[2]);
      const end = m[1] && m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
      res.writeHead(206, {
        'Content-Type': 'video/mp4',
        'Accept-Ranges': 'bytes',
        'Content-Length': end - start + 1,
        'Content-Range': `bytes ${start}-${end}/${size}`,
      });
      fs.createReadStream(file, { start, end }).pipe(res);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'video/mp4', 'Accept-Ranges': 'bytes', 'Content-Length': size });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/bucket/${path.basename(file)}?X-Amz-Signature=secret`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    rangeRequests: () => ranges,
  };
}
