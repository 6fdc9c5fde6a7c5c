import type { JobSpec } from '@tf/contracts';
import type { PackagedVariant } from './packaging.entity';
import { videoPackagedEvent } from './video-packaged';

const spec: JobSpec = {
  tenant_id: 't',
  target_resolutions: ['360p'],
  enable_hls: true,
  enable_transcription: true,
  webhook_url: null,
  priority: 'normal',
  language: null,
};
const variant: PackagedVariant = {
  label: '360p',
  playlist: {
    bucket: 'hls-streams',
    key: 'j/360p/index.m3u8',
    bytes: 120,
    content_type: 'application/vnd.apple.mpegurl',
  },
  bandwidth: 412_345,
  average_bandwidth: 400_000,
  width: 640,
  height: 360,
  codecs: 'avc1.64001e,mp4a.40.2',
  frame_rate: 25,
  segment_count: 2,
};
const master = {
  bucket: 'hls-streams',
  key: 'j/master.m3u8',
  bytes: 300,
  content_type: 'application/vnd.apple.mpegurl',
};

describe('videoPackagedEvent', () => {
  it('describes the master and its variants', () => {
    const event = videoPackagedEvent('j', spec, master, [variant], true, 3);
    expect(event).toMatchObject({ job_id: 'j', attempt: 3, spec, master, has_subtitles: true });
    expect(event.variants).toEqual([
      {
        label: '360p',
        playlist: variant.playlist,
        bandwidth: 412_345,
        resolution: '640x360',
        codecs: 'avc1.64001e,mp4a.40.2',
        segment_count: 2,
      },
    ]);
  });
});
