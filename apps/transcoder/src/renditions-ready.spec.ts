import type { StoredObject } from '@tf/storage';
import { planRenditions } from './rendition-plan';
import { renditionsReadyEvent } from './renditions-ready';
import { videoValidatedEvent } from '../../../libs/testing/src/pipeline-events';

const obj = (key: string, content_type: string): StoredObject => ({
  bucket: 'processed-videos',
  key,
  bytes: 100,
  content_type,
});

const validated = videoValidatedEvent({
  spec: { target_resolutions: ['1080p', '360p', '720p'] },
  media: { duration_s: 3 },
});

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
