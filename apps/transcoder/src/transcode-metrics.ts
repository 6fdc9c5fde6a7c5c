import { KNOWN_LABELS } from '@tf/media';
import { metricsRegistry } from '@tf/observability';
import { Histogram } from 'prom-client';

/** The label of a rendition below the ladder's smallest rung (kept at the source's own size, e.g. "240p"). */
export const BELOW_LADDER = 'below_ladder';

const renditionDuration = new Histogram({
  name: 'tf_transcode_rendition_duration_seconds',
  help: 'Wall time of the ffmpeg pass that encoded a rendition, by rendition (a ladder rung, or below_ladder). One pass encodes every rendition of a job, so each is observed with that pass time.',
  labelNames: ['rendition'] as const,
  buckets: [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
  registers: [metricsRegistry],
});

const speedRatio = new Histogram({
  name: 'tf_transcode_speed_ratio',
  help: 'Encode speed of the ffmpeg pass that encoded a rendition: media seconds per wall second (above 1 is faster than real time), by rendition.',
  labelNames: ['rendition'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64],
  registers: [metricsRegistry],
});

/** A bounded label: the ladder's rungs, or BELOW_LADDER for the fallback that keeps a tiny source's size. */
export const renditionLabel = (label: string): string => (KNOWN_LABELS.includes(label) ? label : BELOW_LADDER);

/**
 * One finished encode: every rendition it wrote gets the pass's wall time and speed (ONE ffmpeg process
 * decodes once and writes the whole ladder, so no rendition has a time of its own).
 */
export function observeEncode(renditions: readonly string[], mediaSeconds: number, wallSeconds: number): void {
  if (!(wallSeconds > 0)) return;
  for (const rendition of new Set(renditions.map(renditionLabel))) {
    renditionDuration.observe({ rendition }, wallSeconds);
    if (mediaSeconds > 0) speedRatio.observe({ rendition }, mediaSeconds / wallSeconds);
  }
}
