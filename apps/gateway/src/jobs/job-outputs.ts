import type { JobOutput, SkippedRendition } from '@tf/contracts';
import type { JobRecord } from './job-record';

/** Everything produced so far, in a stable order: renditions, HLS master, audio, thumbnails, transcripts. */
export function collectOutputs(job: Pick<JobRecord, 'renditions' | 'packaged' | 'transcript'>): JobOutput[] {
  const outputs: JobOutput[] = [];
  for (const r of job.renditions?.renditions ?? [])
    outputs.push({ kind: 'rendition', label: r.label, object: r.object });
  if (job.packaged) outputs.push({ kind: 'hls', label: 'master', object: job.packaged.master });
  if (job.renditions?.audio) outputs.push({ kind: 'audio', label: 'mp3', object: job.renditions.audio });
  job.renditions?.thumbnails.forEach((object, i) =>
    outputs.push({ kind: 'thumbnail', label: `thumb-${i + 1}`, object }),
  );
  for (const f of job.transcript?.files ?? []) outputs.push({ kind: 'transcript', label: f.format, object: f.object });
  return outputs;
}

/** Requested outputs that will not exist, with why: skipped rungs, and a transcript of a silent source. */
export function skippedOutputs(job: Pick<JobRecord, 'spec' | 'media' | 'renditions'>): SkippedRendition[] {
  const skipped = [...(job.renditions?.skipped ?? [])];
  if (job.spec.enable_transcription && job.media && !job.media.has_audio)
    skipped.push({ label: 'transcript', reason: 'NO_AUDIO' });
  return skipped;
}
