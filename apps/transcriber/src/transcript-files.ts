import { JobSpec, TranscriptReady, VideoValidated, newEnvelope } from '@tf/contracts';
import type { StoredObject } from '@tf/storage';
import { TranscriptResult, normalizeSegments, toSrt, toTranscriptJson, toTxt, toVtt } from '@tf/transcription';

/** Language reported when there was no speech and the client gave no hint. */
const UNDETERMINED_LANGUAGE = 'und';

/** The four stored formats, in the order TranscriptReady lists them. */
const TRANSCRIPT_FORMATS = [
  { format: 'srt', fileName: 'transcript.srt', contentType: 'application/x-subrip' },
  { format: 'vtt', fileName: 'transcript.vtt', contentType: 'text/vtt' },
  { format: 'json', fileName: 'transcript.json', contentType: 'application/json' },
  { format: 'txt', fileName: 'transcript.txt', contentType: 'text/plain' },
] as const;

type TranscriptFormat = (typeof TRANSCRIPT_FORMATS)[number]['format'];

/** processed-videos/{job_id}/transcript.{ext}: deterministic, so a retried job overwrites its own files. */
export const transcriptKey = (jobId: string, fileName: string): string => `${jobId}/${fileName}`;

interface TranscriptFileBody {
  format: TranscriptFormat;
  key: string;
  contentType: string;
  body: string;
}

/** What one Whisper result becomes: the facts TranscriptReady reports and the files to store. */
export interface RenderedTranscript {
  language: string;
  model: string;
  duration_s: number;
  /** Cues actually written (empty or out-of-range segments are dropped by the caption writers). */
  segment_count: number;
  files: TranscriptFileBody[];
}

/**
 * The language to report: the worker's (detected, or the hint it was given). With no speech the
 * worker says "und"; then the client's hint, if any, is the better answer.
 */
export function reportedLanguage(workerLanguage: string, spec: Pick<JobSpec, 'language'>): string {
  const language = workerLanguage?.trim();
  return !language || language === UNDETERMINED_LANGUAGE ? (spec.language ?? UNDETERMINED_LANGUAGE) : language;
}

/**
 * Renders a worker result as SRT, WebVTT, JSON and plain text. Cues are normalized once against the
 * audio duration (monotonic, within [0, duration]); no speech gives empty SRT/TXT, a header-only VTT and
 * a JSON with no segments.
 */
export function renderTranscript(
  jobId: string,
  result: TranscriptResult,
  spec: Pick<JobSpec, 'language'>,
): RenderedTranscript {
  const language = reportedLanguage(result.language, spec);
  const caption = { durationS: result.duration_s };
  const segments = normalizeSegments(result.segments, caption);
  const bodies: Record<TranscriptFormat, string> = {
    srt: toSrt(segments, caption),
    vtt: toVtt(segments, caption),
    json: toTranscriptJson({ language, model: result.model, duration_s: result.duration_s, segments }),
    txt: toTxt(segments, caption),
  };
  return {
    language,
    model: result.model,
    duration_s: result.duration_s,
    segment_count: segments.length,
    files: TRANSCRIPT_FORMATS.map(({ format, fileName, contentType }) => ({
      format,
      key: transcriptKey(jobId, fileName),
      contentType,
      body: bodies[format],
    })),
  };
}

/** The TranscriptReady event of a finished job; `stored` holds one object per rendered file. */
export function transcriptReadyEvent(
  validated: VideoValidated,
  transcript: RenderedTranscript,
  stored: readonly { format: string; object: StoredObject }[],
  attempt: number,
): TranscriptReady {
  return {
    ...newEnvelope(validated.job_id, attempt),
    spec: validated.spec,
    language: transcript.language,
    model: transcript.model,
    duration_s: transcript.duration_s,
    segment_count: transcript.segment_count,
    files: transcript.files.map(({ format }) => {
      const file = stored.find((s) => s.format === format);
      if (!file) throw new Error(`transcript.${format} was rendered but not stored`);
      return { format, object: file.object };
    }),
  };
}

/**
 * Why a VideoValidated gets no transcript (the stage then ignores it: no files, no event), or null
 * when it should be transcribed. Same rule as the gateway's "transcript expected".
 */
export function transcriptionSkipReason(event: Pick<VideoValidated, 'spec' | 'media'>): string | null {
  if (!event.spec.enable_transcription) return 'transcription not requested';
  if (!event.media.has_audio) return 'the source has no audio';
  return null;
}
