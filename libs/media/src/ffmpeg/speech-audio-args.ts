import { inputArgs } from '../input/input-args';
import type { MediaSource } from '../input/media-source';
import { globalOptions } from './global-options';

/** Whisper's input: 16 kHz mono signed 16-bit PCM. */
export const SPEECH_SAMPLE_RATE = 16_000;

/**
 * ffmpeg arguments: the first audio stream of the source -> 16 kHz mono PCM WAV, without video. The
 * transcriber decodes the source here, under our input restrictions and budget, and hands Whisper only
 * the WAV: Whisper's own decoder (PyAV) never opens a tenant's file or URL.
 */
export function buildSpeechAudioArgs(source: string | MediaSource, outWav: string): string[] {
  return [
    ...globalOptions({ logLevel: 'error', progress: true }),
    ...inputArgs(source),
    '-map',
    '0:a:0?',
    '-vn',
    '-sn',
    '-dn',
    '-ac',
    '1',
    '-ar',
    String(SPEECH_SAMPLE_RATE),
    '-c:a',
    'pcm_s16le',
    '-f',
    'wav',
    outWav,
  ];
}
