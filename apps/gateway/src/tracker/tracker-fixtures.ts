// Builders of jobs and stage events for the tracker's unit tests.
import { JobSpec, MediaInfo, ObjectRef, newEnvelope } from '@tf/contracts';
import { JobRecord, newJobRecord } from '../jobs/job-record';
import { TrackerOutcome, applyTrackerEvent } from './apply-tracker-event';
import { TrackerEvent } from './tracker-event';

const JOB_ID = '6f1c2c8e-8d0b-4b7e-9a57-3f2d5a1c9e10';

export const spec = (over: Partial<JobSpec> = {}): JobSpec => ({
  tenant_id: 'acme',
  target_resolutions: ['360p', '720p'],
  enable_hls: true,
  enable_transcription: true,
  webhook_url: null,
  priority: 'normal',
  language: null,
  ...over,
});

export const media = (over: Partial<MediaInfo> = {}): MediaInfo => ({
  duration_s: 12,
  width: 1280,
  height: 720,
  display_width: 1280,
  display_height: 720,
  rotation: 0,
  fps: 30,
  video_codec: 'h264',
  audio_codec: 'aac',
  has_audio: true,
  bit_rate: 2_000_000,
  format_name: 'mov,mp4,m4a,3gp,3g2,mj2',
  ...over,
});

export const ref = (bucket: string, key: string, content_type = 'application/octet-stream'): ObjectRef => ({
  bucket,
  key,
  bytes: 100,
  content_type,
});

export const job = (s: JobSpec = spec()): JobRecord =>
  newJobRecord(
    {
      id: JOB_ID,
      tenantId: s.tenant_id,
      spec: s,
      source: ref('raw-videos', `${JOB_ID}/source.mp4`, 'video/mp4'),
      originalFilename: 'clip.mp4',
    },
    new Date('2025-01-01T00:00:00Z'),
  );

const env = () => newEnvelope(JOB_ID);

export const validated = (s: JobSpec, m: MediaInfo = media()): TrackerEvent => ({
  type: 'VideoValidated',
  event: { ...env(), source: ref('raw-videos', `${JOB_ID}/source.mp4`), spec: s, media: m, only_stage: null },
});

export const renditionsReady = (s: JobSpec, m: MediaInfo = media()): TrackerEvent => ({
  type: 'RenditionsReady',
  event: {
    ...env(),
    spec: s,
    media: m,
    renditions: [
      {
        label: '360p',
        width: 640,
        height: 360,
        video_bitrate: 800_000,
        audio_bitrate: 128_000,
        codecs: 'avc1.64001e,mp4a.40.2',
        object: ref('processed-videos', `${JOB_ID}/360p.mp4`, 'video/mp4'),
      },
    ],
    skipped: [{ label: '720p', reason: 'UPSCALE_NOT_ALLOWED' }],
    audio: m.has_audio ? ref('processed-videos', `${JOB_ID}/audio.mp3`, 'audio/mpeg') : null,
    thumbnails: [1, 2].map((n) => ref('processed-videos', `${JOB_ID}/thumb-${n}.jpg`, 'image/jpeg')),
  },
});

export const packaged = (s: JobSpec, hasSubtitles: boolean): TrackerEvent => ({
  type: 'VideoPackaged',
  event: {
    ...env(),
    spec: s,
    master: ref('hls-streams', `${JOB_ID}/master.m3u8`, 'application/vnd.apple.mpegurl'),
    variants: [
      {
        label: '360p',
        playlist: ref('hls-streams', `${JOB_ID}/360p/index.m3u8`),
        bandwidth: 900_000,
        resolution: '640x360',
        codecs: 'avc1.64001e,mp4a.40.2',
        segment_count: 3,
      },
    ],
    has_subtitles: hasSubtitles,
  },
});

export const transcriptReady = (s: JobSpec): TrackerEvent => ({
  type: 'TranscriptReady',
  event: {
    ...env(),
    spec: s,
    language: 'en',
    model: 'base',
    duration_s: 12,
    segment_count: 4,
    files: ['srt', 'vtt', 'json', 'txt'].map((format) => ({
      format,
      object: ref('processed-videos', `${JOB_ID}/transcript.${format}`),
    })),
  },
});

export const failed = (s: JobSpec | null, stage: string, code: string): TrackerEvent => ({
  type: 'JobFailed',
  event: { ...env(), spec: s, stage, code, message: `${stage} went wrong`, retryable: false },
});

export const progress = (stage: string, percent: number, message: string | null = null): TrackerEvent => ({
  type: 'JobProgress',
  event: { ...env(), stage, percent, message, next_attempt_at: null },
});

/** A stage waiting for its durable retry `attempt` at `nextAttemptAt` (the transport's status event). */
export const waitingRetry = (
  stage: string,
  attempt: number,
  nextAttemptAt: string,
  reason: string,
  occurredAt = Date.parse('2025-01-01T00:00:30Z'),
): TrackerEvent => ({
  type: 'JobProgress',
  event: {
    ...newEnvelope(JOB_ID, attempt),
    occurred_at: occurredAt,
    stage,
    percent: 0,
    message: reason,
    next_attempt_at: Date.parse(nextAttemptAt),
  },
});

/** Progress reported at a given time (to order it against a retry wait). */
export const progressAt = (stage: string, percent: number, occurredAt: string): TrackerEvent => ({
  type: 'JobProgress',
  event: { ...env(), occurred_at: Date.parse(occurredAt), stage, percent, message: null, next_attempt_at: null },
});

/** Applies `events` in order at `now`; the final job and every outcome. */
export function applyAll(
  start: JobRecord,
  events: TrackerEvent[],
  now: Date,
): { job: JobRecord; outcomes: TrackerOutcome[] } {
  const outcomes: TrackerOutcome[] = [];
  let current = start;
  for (const e of events) {
    const o = applyTrackerEvent(current, e, now);
    outcomes.push(o);
    current = o.job;
  }
  return { job: current, outcomes };
}
