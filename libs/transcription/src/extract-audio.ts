import { writeFile } from 'node:fs/promises';
import {
  type MediaSource,
  SPEECH_SAMPLE_RATE,
  buildSpeechAudioArgs,
  mediaBudget,
  runFfmpeg,
  runFfprobe,
} from '@tf/media';

export interface ExtractSpeechAudioOptions {
  /** The media's duration when known (scales the time budget of the decode). */
  durationS?: number;
  /** Stops the decode. */
  signal?: AbortSignal;
}

export interface ExtractedAudio {
  path: string;
  /** False when the input has no audio stream: then `path` holds silence as long as the media. */
  hasAudio: boolean;
}

/** A 16 kHz mono 16-bit PCM WAV of `seconds` of silence (at least 0.1 s), written without ffmpeg. */
export function silentWav(seconds: number): Buffer {
  const samples = Math.round(Math.max(0.1, seconds) * SPEECH_SAMPLE_RATE);
  const data = samples * 2;
  const wav = Buffer.alloc(44 + data);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + data, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16); // fmt chunk size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(SPEECH_SAMPLE_RATE, 24);
  wav.writeUInt32LE(SPEECH_SAMPLE_RATE * 2, 28); // byte rate
  wav.writeUInt16LE(2, 32); // block align
  wav.writeUInt16LE(16, 34); // bits per sample
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(data, 40);
  return wav;
}

/**
 * Extracts the speech track for Whisper: 16 kHz mono PCM WAV, decoded by @tf/media's restricted ffmpeg
 * (accepted containers only, our S3 or a local file only, time and resource budget). `input` is a local
 * path or a presigned URL of our S3, streamed by ffmpeg. A media file without audio yields silence of
 * its duration and `hasAudio: false`.
 */
export async function extractSpeechAudio(
  input: string | MediaSource,
  outWav: string,
  options: ExtractSpeechAudioOptions = {},
): Promise<ExtractedAudio> {
  const budget = mediaBudget('audio', options.durationS);
  try {
    await runFfmpeg(buildSpeechAudioArgs(input, outWav), { budget, signal: options.signal });
    return { path: outWav, hasAudio: true };
  } catch (error) {
    if (!/does not contain any stream/i.test((error as { stderrTail?: string }).stderrTail ?? '')) throw error;
  }
  const { format } = await runFfprobe(input, ['-show_format'], { signal: options.signal });
  const duration = Number(format.duration);
  await writeFile(outWav, silentWav(Number.isFinite(duration) ? duration : 0));
  return { path: outWav, hasAudio: false };
}
