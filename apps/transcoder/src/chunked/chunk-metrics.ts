import { metricsRegistry } from '@tf/observability';
import { Counter, Histogram } from 'prom-client';

/** A part of a split transcode, as a bounded label. */
export type ChunkPartKind = 'video' | 'audio';

const chunksEncoded = new Counter({
  name: 'tf_transcode_chunks_encoded_total',
  help: 'Parts of split transcodes encoded by this instance: video chunks (every rendition of a time range) and whole-file audio tracks.',
  labelNames: ['part'] as const,
  registers: [metricsRegistry],
});

const chunkDuration = new Histogram({
  name: 'tf_transcode_chunk_duration_seconds',
  help: 'Wall time of the ffmpeg run that encoded one part of a split transcode (a video chunk: every rendition of its range; audio: the whole file once).',
  labelNames: ['part'] as const,
  buckets: [1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600, 1800],
  registers: [metricsRegistry],
});

const chunkFailures = new Counter({
  name: 'tf_transcode_chunk_failures_total',
  help: 'Attempts at a part of a split transcode (video chunk, audio, assembly) that failed (retried, or given up when out of attempts); cancels and shutdowns are not counted.',
  labelNames: ['part'] as const,
  registers: [metricsRegistry],
});

const assemblyDuration = new Histogram({
  name: 'tf_transcode_assembly_duration_seconds',
  help: 'Wall time of the assembly of a split transcode: chunks downloaded, every rendition concatenated (-c copy) with the audio track, probed and uploaded.',
  buckets: [1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600],
  registers: [metricsRegistry],
});

/** How a split transcode's run ended. */
export type ChunkRunOutcome = 'assembled' | 'failed' | 'superseded';

const chunkRuns = new Counter({
  name: 'tf_transcode_chunk_runs_total',
  help: 'Split transcodes (runs) that ended here, by outcome: assembled (RenditionsReady emitted), failed (a part or the assembly given up on: the job failed once), superseded (a retry of the job started a newer transcode). Counted once the ending committed.',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});
// Every outcome exists from the start at 0, so that increase() sees a process's first failed run.
for (const outcome of ['assembled', 'failed', 'superseded'] satisfies ChunkRunOutcome[]) chunkRuns.labels({ outcome });

export const countChunkRuns = (outcome: ChunkRunOutcome, runs = 1): void => chunkRuns.inc({ outcome }, runs);

export function observeChunkEncoded(part: ChunkPartKind, wallSeconds: number): void {
  chunksEncoded.inc({ part });
  chunkDuration.observe({ part }, wallSeconds);
}

export const countChunkFailure = (part: ChunkPartKind | 'assemble'): void => chunkFailures.inc({ part });

export const observeAssembly = (wallSeconds: number): void => assemblyDuration.observe(wallSeconds);
