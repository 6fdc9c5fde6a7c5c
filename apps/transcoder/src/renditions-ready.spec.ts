import type { VideoValidated } from '@tf/contracts';
import type { StoredObject } from '@tf/storage';
import { planRenditions } from './rendition-plan';
import { renditionsReadyEvent } from './renditions-ready';

const obj = (key: string, content_type: string): StoredObject => ({
  bucket: 'processed-videos',
  key,
  bytes: 100,
  content_type,
});

const validated: VideoValidated = {
  event_id: '00000000-0000-4000-8000-000000000001',
  job_id: 'job-1',
  occurred_at: 1,
  attempt: 1,
  source: { bucket: 'raw-videos', key: 'job-1/source.mp4', bytes: 1000, content_type: 'video/mp4' },
  spec: {
    tenant_id: 't',
    target_resolutions: ['1080p', '360p', '720p'],
    enable_hls: true,
    enable_transcription: true,
    webhook_url: null,
    priority: 'normal',
    language: null,
  },
  media: {
    duration_s: 3,
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
  },
  only_stage: null,
};

describe('renditionsReadyEvent', () => {
  const plan = planRenditions(validated.spec.target_resolutions, validated.media);
  const stored = {
    renditions: plan.renditions.map((r) => ({
      label: r.label,
      path: `/tmp/${r.label}.mp4`,
      object: obj(`job-1/${r.label}.mp4`, 'video/mp4'),
    })),
    audio: obj('job-1/audio.mp3', 'audio/mpeg'),
    thumbnails: [1, 2, 3, 4, 5].map((n) => obj(`job-1/thumb-${n}.jpg`, 'image/jpeg')),
  };
  const encoded = new Map([
    ['360p', { codecs: 'avc1.64001e,mp4a.40.2', width: 640, height: 360 }],
    ['720p', { codecs: 'avc1.64001f,mp4a.40.2', width: 1280, height: 720 }],
  ]);

  it('maps the plan and the stored files to the event, in ladder order', () => {
    const event = renditionsReadyEvent(validated, plan, stored, encoded, 2);
    expect(event).toMatchObject({ job_id: 'job-1', attempt: 2, spec: validated.spec, media: validated.media });
    expect(event.event_id).not.toBe(validated.event_id);
    expect(event.renditions).toEqual([
      {
        label: '360p',
        width: 640,
        height: 360,
        video_bitrate: 800_000,
        audio_bitrate: 128_000,
        codecs: 'avc1.64001e,mp4a.40.2',
        object: obj('job-1/360p.mp4', 'video/mp4'),
      },
      {
        label: '720p',
        width: 1280,
        height: 720,
        video_bitrate: 2_800_000,
        audio_bitrate: 128_000,
        codecs: 'avc1.64001f,mp4a.40.2',
        object: obj('job-1/720p.mp4', 'video/mp4'),
      },
    ]);
    expect(event.skipped).toEqual([{ label: '1080p', reason: 'UPSCALE_NOT_ALLOWED' }]);
    expect(event.audio).toEqual(obj('job-1/audio.mp3', 'audio/mpeg'));
    expect(event.thumbnails.map((t) => t.key)).toEqual([
      'job-1/thumb-1.jpg',
      'job-1/thumb-2.jpg',
      'job-1/thumb-3.jpg',
      'job-1/thumb-4.jpg',
      'job-1/thumb-5.jpg',
    ]);
  });

  it('reports the probed CODECS and size, not the planned ones', () => {
    const probed = new Map(encoded).set('720p', { codecs: 'avc1.640020,mp4a.40.2', width: 1280, height: 720 });
    expect(renditionsReadyEvent(validated, plan, stored, probed, 1).renditions[1].codecs).toBe('avc1.640020,mp4a.40.2');
  });

  it('has a null audio without an MP3', () => {
    expect(renditionsReadyEvent(validated, plan, { ...stored, audio: null }, encoded, 1).audio).toBeNull();
  });

  it('refuses to describe a rendition that was not written', () => {
    expect(() =>
      renditionsReadyEvent(validated, plan, { ...stored, renditions: stored.renditions.slice(0, 1) }, encoded, 1),
    ).toThrow(/720p/);
  });
});
