import { metricsRegistry } from '@tf/observability';
import { Counter, Histogram } from 'prom-client';
import type { TranscriptResult } from './types';

const realTimeFactor = new Histogram({
  name: 'tf_transcribe_real_time_factor',
  help: "Whisper's real-time factor per transcription: the worker's wall seconds on the job / seconds of audio (below 1 is faster than real time).",
  // Up to 32: the alert compares the p95 with 3 times the median, which a top bucket of 4 would cap.
  buckets: [0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 4, 8, 16, 32],
  registers: [metricsRegistry],
});

const audioSeconds = new Counter({
  name: 'tf_transcribe_audio_seconds_total',
  help: 'Seconds of audio Whisper transcribed (each finished transcription adds its audio duration).',
  registers: [metricsRegistry],
});

/** A finished transcription: its audio seconds, and its real-time factor (elapsed_s is the worker's own wall time). */
export function observeTranscription(result: Pick<TranscriptResult, 'duration_s' | 'elapsed_s'>): void {
  if (!(result.duration_s > 0)) return;
  audioSeconds.inc(result.duration_s);
  if (result.elapsed_s >= 0) realTimeFactor.observe(result.elapsed_s / result.duration_s);
}
