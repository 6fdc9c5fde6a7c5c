import type { JobOutput, JobSpec, MediaInfo } from '@tf/contracts';
import { collectOutputs } from '../jobs/job-outputs';
import type { JobRecord } from '../jobs/job-record';

/** The facts the completion decision looks at. */
export type FanInFacts = Pick<JobRecord, 'spec' | 'media' | 'renditions' | 'packaged' | 'transcript'>;

export type FanInDecision = { complete: true; outputs: JobOutput[] } | { complete: false; waitingFor: string[] };

/**
 * Whether the job will get a transcript: the client asked for one and the source has audio.
 * null while the media is unknown (no VideoValidated or RenditionsReady seen yet).
 */
export function transcriptExpected(spec: JobSpec, media: MediaInfo | null): boolean | null {
  if (!spec.enable_transcription) return false;
  return media ? media.has_audio : null;
}

/**
 * The completion fan-in. A job is complete when its renditions are ready; and, with enable_hls, it
 * is packaged (with the subtitles group when a transcript is expected); and, when a transcript is
 * expected, TranscriptReady arrived. Events come from different topics in any order, so this is
 * asked again after every one of them.
 */
export function decideCompletion(job: FanInFacts): FanInDecision {
  const waitingFor: string[] = [];
  const expected = transcriptExpected(job.spec, job.media);
  if (!job.renditions) waitingFor.push('renditions');
  if (expected === null) waitingFor.push('media');
  if (job.spec.enable_hls) {
    if (!job.packaged) waitingFor.push('hls');
    else if (expected && !job.packaged.has_subtitles) waitingFor.push('hls-subtitles');
  }
  if (expected && !job.transcript) waitingFor.push('transcript');
  return waitingFor.length ? { complete: false, waitingFor } : { complete: true, outputs: collectOutputs(job) };
}
