import { spawn } from 'node:child_process';

export interface ExtractSpeechAudioOptions {
  /** ffmpeg executable (default: TF_FFMPEG or "ffmpeg"). */
  ffmpeg?: string;
  /** ffprobe executable (default: TF_FFPROBE or "ffprobe"), used only when the input has no audio stream. */
  ffprobe?: string;
  /** Kill ffmpeg after this long (default 30 min). */
  timeoutMs?: number;
}

export interface ExtractedAudio {
  path: string;
  /** False when the input has no audio stream: then `path` holds silence as long as the media. */
  hasAudio: boolean;
}

const isNetworkInput = (input: string): boolean => /^(https?|s3):\/\//i.test(input);

/** ffmpeg arguments: first audio stream of `input` → 16 kHz mono signed 16-bit PCM WAV. Streams URL inputs. */
export function buildExtractArgs(input: string, outWav: string): string[] {
  const network = isNetworkInput(input)
    ? ['-reconnect', '1', '-reconnect_streamed', '1', '-reconnect_delay_max', '5', '-rw_timeout', '30000000']
    : [];
  return [
    '-nostdin', '-hide_banner', '-loglevel', 'error', '-y',
    ...network,
    '-i', input,
    '-map', '0:a:0?', '-vn', '-sn', '-dn',
    '-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', '-f', 'wav',
    outWav,
  ];
}

/** ffmpeg arguments for `seconds` of 16 kHz mono silence. */
export function buildSilenceArgs(seconds: number, outWav: string): string[] {
  return [
    '-nostdin', '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono',
    '-t', Math.max(0.1, seconds).toFixed(3),
    '-c:a', 'pcm_s16le', '-f', 'wav', outWav,
  ];
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.length > 64_000) stderr = stderr.slice(-32_000);
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${cmd}: ${err.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Redacts query strings (presigned URL signatures) from messages. */
const redact = (s: string): string => s.replace(/(https?:\/\/[^\s?"']+)\?[^\s"']*/g, '$1?…');

/**
 * Extracts the speech track for Whisper: 16 kHz mono PCM WAV. `input` may be a local path or a URL
 * (e.g. a presigned S3 URL, streamed by ffmpeg). A media file without audio yields silence of its
 * duration and `hasAudio: false`.
 */
export async function extractSpeechAudio(
  input: string,
  outWav: string,
  options: ExtractSpeechAudioOptions = {},
): Promise<ExtractedAudio> {
  const ffmpeg = options.ffmpeg ?? process.env.TF_FFMPEG ?? 'ffmpeg';
  const ffprobe = options.ffprobe ?? process.env.TF_FFPROBE ?? 'ffprobe';
  const timeoutMs = options.timeoutMs ?? 30 * 60_000;

  const res = await run(ffmpeg, buildExtractArgs(input, outWav), timeoutMs);
  if (res.code === 0) return { path: outWav, hasAudio: true };
  if (!/does not contain any stream|Output file .* does not contain/i.test(res.stderr)) {
    throw new Error(`ffmpeg could not extract audio from ${redact(input)} (exit ${res.code}): ${redact(res.stderr.trim())}`);
  }

  const probe = await run(ffprobe, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', input], timeoutMs);
  const duration = Number.parseFloat(probe.stdout.trim());
  const silence = await run(ffmpeg, buildSilenceArgs(Number.isFinite(duration) ? duration : 0, outWav), timeoutMs);
  if (silence.code !== 0) throw new Error(`ffmpeg could not write silence to ${outWav}: ${silence.stderr.trim()}`);
  return { path: outWav, hasAudio: false };
}
