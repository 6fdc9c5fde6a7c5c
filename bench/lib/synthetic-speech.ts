// Speech made on the machine for the transcription benches (no audio kept in the repo): the synthetic voices
// (espeak-ng, Debian's flite) and the long read both bench/transcribe.bench.ts and the evaluation set say.
import { execFileSync } from 'node:child_process';

/** A synthetic voice: the program, its voice name, and a rate (espeak-ng words per minute, or flite duration stretch). */
export interface Voice {
  id: string;
  engine: 'espeak-ng' | 'flite';
  voice: string;
  /** espeak-ng: words per minute. flite: duration stretch (1 = its normal pace, 0.8 = faster). */
  rate: number;
}

export const voice = (engine: Voice['engine'], name: string, rate: number): Voice => ({
  id: `${engine === 'flite' ? 'flite' : 'espeak'}-${name}-${rate}`,
  engine,
  voice: name,
  rate,
});

/** A long read (a little under a minute at 165 words per minute). No digits: no number normalization for WER. */
export const LONG_READ = [
  'Welcome to the weekly engineering update.',
  'This week the team finished the new upload service, which accepts large video files and stores them safely.',
  'Every uploaded video is checked first, then transcoded into several renditions for phones, tablets and television screens.',
  'After that the packaging step writes adaptive streaming playlists, so viewers get the best quality their connection allows.',
  'In parallel, a speech recognition model listens to the soundtrack and writes captions in several formats.',
  'The captions are attached to the stream as a subtitle track, and a plain text transcript is stored next to it.',
  'We also measured how long each step takes on a small machine with two processor cores and no graphics card.',
  'The results were better than expected, and the whole pipeline keeps up with the rate of new uploads.',
  'Next week we will improve the monitoring dashboards and add alerts for failed jobs.',
  'Thank you all for your hard work, and please send your questions to the team channel.',
].join(' ');

const run = (cmd: string, args: string[]): string =>
  execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

/** `text` said by `v` into the WAV `out`, as the program writes it (its own rate, mono). */
export function synthesizeSpeech(v: Voice, text: string, out: string): void {
  if (v.engine === 'flite')
    run('flite', ['-voice', v.voice, '--setf', `duration_stretch=${v.rate}`, '-t', text, '-o', out]);
  else run('espeak-ng', ['-v', v.voice, '-s', String(v.rate), '-w', out, text]);
}

/** A media file's duration in seconds (ffprobe's format duration). */
export const durationS = (file: string): number =>
  Number(run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]).trim());
