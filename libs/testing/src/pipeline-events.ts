// Events of the chain and their parts as the tests of its stages build them: one place for their every field,
// a test names only what it is about.
import type { JobSpec, MediaInfo, VideoValidated } from '@tf/contracts';

/** A job request of tenant t: 720p with HLS and a transcript, no webhook, normal priority; `over` changes fields. */
export const jobSpec = (over: Partial<JobSpec> = {}): JobSpec => ({
  tenant_id: 't',
  target_resolutions: ['720p'],
  enable_hls: true,
  enable_transcription: true,
  webhook_url: null,
  priority: 'normal',
  language: null,
  ...over,
});

/** What ffprobe finds in a 12 s 1280x720 25 fps H.264/AAC MP4 at 1 Mbit/s; `over` changes fields. */
export const mediaInfo = (over: Partial<MediaInfo> = {}): MediaInfo => ({
  duration_s: 12,
  width: 1280,
  height: 720,
  display_width: 1280,
  display_height: 720,
  rotation: 0,
  fps: 25,
  video_codec: 'h264',
  audio_codec: 'aac',
  has_audio: true,
  bit_rate: 1_000_000,
  format_name: 'mov,mp4,m4a,3gp,3g2,mj2',
  ...over,
});

/** A VideoValidated of job-1 (attempt 1) with jobSpec() and mediaInfo(), `spec` and `media` changing some fields. */
export function videoValidatedEvent(
  over: { spec?: Partial<JobSpec>; media?: Partial<MediaInfo> } = {},
): VideoValidated {
  return {
    event_id: '00000000-0000-4000-8000-000000000001',
    job_id: 'job-1',
    occurred_at: 1,
    attempt: 1,
    source: { bucket: 'raw-videos', key: 'job-1/source.mp4', bytes: 1000, content_type: 'video/mp4' },
    spec: jobSpec(over.spec),
    media: mediaInfo(over.media),
    only_stage: null,
  };
}
