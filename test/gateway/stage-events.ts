// Stage events of a fixture job, as the validator, transcoder, hls and transcriber would emit them.
import { JobSpec, MediaInfo, ObjectRef, newEnvelope } from '@tf/contracts';
import { JobRecord } from '../../apps/gateway/src/jobs/job-record';

export const media = (hasAudio: boolean): MediaInfo => ({
  duration_s: 10,
  width: 1280,
  height: 720,
  display_width: 1280,
  display_height: 720,
  rotation: 0,
  fps: 30,
  video_codec: 'h264',
  audio_codec: hasAudio ? 'aac' : null,
  has_audio: hasAudio,
  bit_rate: 1_500_000,
  format_name: 'mov,mp4,m4a,3gp,3g2,mj2',
});
export const ref = (bucket: string, key: string, content_type: string, bytes = 1000): ObjectRef => ({
  bucket,
  key,
  bytes,
  content_type,
});

/**
 * The stage events of one job, as the validator, transcoder, hls and transcriber would emit them.
 * Their spec turns HLS, transcription and webhooks off: other services running on the same cluster
 * (other test runs) then ignore these fixture events instead of failing the job. The tracker goes
 * by the spec in its own job row, as it always does.
 */
export function stageEvents(job: JobRecord) {
  const id = job.id;
  const spec: JobSpec = { ...job.spec, enable_hls: false, enable_transcription: false, webhook_url: null };
  const m = media(true);
  return {
    validated: () => ({ ...newEnvelope(id), source: job.source, spec, media: m, only_stage: null }),
    renditions: () => ({
      ...newEnvelope(id),
      spec,
      media: m,
      renditions: ['360p', '720p'].map((label, i) => ({
        label,
        width: [640, 1280][i],
        height: [360, 720][i],
        video_bitrate: [800_000, 2_800_000][i],
        audio_bitrate: 128_000,
        codecs: 'avc1.64001f,mp4a.40.2',
        object: ref('processed-videos', `${id}/${label}.mp4`, 'video/mp4', 5000 + i),
      })),
      skipped: [] as Array<{ label: string; reason: string }>,
      audio: ref('processed-videos', `${id}/audio.mp3`, 'audio/mpeg'),
      thumbnails: [1, 2, 3, 4, 5].map((n) => ref('processed-videos', `${id}/thumb-${n}.jpg`, 'image/jpeg')),
    }),
    packaged: (hasSubtitles: boolean) => ({
      ...newEnvelope(id),
      spec,
      master: ref('hls-streams', `${id}/master.m3u8`, 'application/vnd.apple.mpegurl', 600),
      variants: ['360p', '720p'].map((label) => ({
        label,
        playlist: ref('hls-streams', `${id}/${label}/index.m3u8`, 'application/vnd.apple.mpegurl'),
        bandwidth: 1_000_000,
        resolution: label === '360p' ? '640x360' : '1280x720',
        codecs: 'avc1.64001f,mp4a.40.2',
        segment_count: 2,
      })),
      has_subtitles: hasSubtitles,
    }),
    transcript: () => ({
      ...newEnvelope(id),
      spec,
      language: 'en',
      model: 'base',
      duration_s: 10,
      segment_count: 3,
      files: ['srt', 'vtt', 'json', 'txt'].map((format) => ({
        format,
        object: ref('processed-videos', `${id}/transcript.${format}`, 'text/plain'),
      })),
    }),
  };
}
