import { ObjectStorage } from '@tf/storage';
import { MasterPublisher, languageName } from './master-publisher.service';
import { PackagedVariant, SubtitleSource } from './packaging.entity';

/** In-memory stand-in for the storage boundary: records what is written. */
class MemoryStorage {
  readonly objects = new Map<string, { text: string; contentType: string }>();
  constructor(seed: Record<string, string> = {}) {
    for (const [k, text] of Object.entries(seed)) this.objects.set(k, { text, contentType: 'text/vtt' });
  }
  async getText(bucket: string, key: string) {
    const o = this.objects.get(`${bucket}/${key}`);
    if (!o) throw Object.assign(new Error('NoSuchKey'), { code: 'NoSuchKey' });
    return o.text;
  }
  async putText(bucket: string, key: string, text: string, contentType: string) {
    this.objects.set(`${bucket}/${key}`, { text, contentType });
    return { bucket, key, bytes: Buffer.byteLength(text), content_type: contentType };
  }
}

const variant = (label: string, width: number, height: number, bandwidth: number): PackagedVariant => ({
  label,
  playlist: {
    bucket: 'hls-streams',
    key: `j/${label}/index.m3u8`,
    bytes: 100,
    content_type: 'application/vnd.apple.mpegurl',
  },
  bandwidth,
  average_bandwidth: bandwidth - 1000,
  width,
  height,
  codecs: label === '360p' ? 'avc1.64001e,mp4a.40.2' : 'avc1.64001f,mp4a.40.2',
  frame_rate: 25,
  segment_count: 1,
});
const variants = [variant('720p', 1280, 720, 900_000), variant('360p', 640, 360, 300_000)];
const source = (key = 'j/transcript.vtt'): SubtitleSource => ({
  vtt: { bucket: 'processed-videos', key, bytes: 40, content_type: 'text/vtt' },
  language: 'en',
  segment_count: 1,
});

describe('MasterPublisher', () => {
  it('writes a master without a SUBTITLES group when no transcript is known', async () => {
    const storage = new MemoryStorage();
    const master = await new MasterPublisher(storage as unknown as ObjectStorage).publish('j', variants, null);
    expect(master).toMatchObject({
      bucket: 'hls-streams',
      key: 'j/master.m3u8',
      content_type: 'application/vnd.apple.mpegurl',
    });
    const text = storage.objects.get('hls-streams/j/master.m3u8')!.text;
    expect(text).toContain(
      '#EXT-X-STREAM-INF:BANDWIDTH=300000,AVERAGE-BANDWIDTH=299000,RESOLUTION=640x360,FRAME-RATE=25.000,CODECS="avc1.64001e,mp4a.40.2"\n360p/index.m3u8',
    );
    expect(text).toContain('RESOLUTION=1280x720');
    expect(text).not.toContain('SUBTITLES');
    expect([...storage.objects.keys()]).toEqual(['hls-streams/j/master.m3u8']);
  });

  it('copies the VTT next to a subtitle playlist and references it from the master', async () => {
    const storage = new MemoryStorage({
      'processed-videos/j/transcript.vtt': 'WEBVTT\n\n00:00.500 --> 00:02.000\nHello\n',
    });
    await new MasterPublisher(storage as unknown as ObjectStorage).publish('j', variants, {
      source: source(),
      durationS: 3.04,
    });
    expect(storage.objects.get('hls-streams/j/subtitles/transcript.vtt')).toEqual({
      text: expect.stringContaining('Hello'),
      contentType: 'text/vtt',
    });
    const playlist = storage.objects.get('hls-streams/j/subtitles/index.m3u8')!.text;
    expect(playlist).toContain('#EXTINF:3.040,\ntranscript.vtt');
    const master = storage.objects.get('hls-streams/j/master.m3u8')!.text;
    expect(master).toContain('#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English",LANGUAGE="en"');
    expect(master).toContain('URI="subtitles/index.m3u8"');
    expect(master.match(/SUBTITLES="subs"/g)).toHaveLength(2);
  });

  it('turns an empty transcript file into a valid VTT with no cues', async () => {
    const storage = new MemoryStorage({ 'processed-videos/j/transcript.vtt': '' });
    await new MasterPublisher(storage as unknown as ObjectStorage).publish('j', variants, {
      source: source(),
      durationS: 2,
    });
    expect(storage.objects.get('hls-streams/j/subtitles/transcript.vtt')!.text).toBe('WEBVTT\n');
  });

  it('names languages for the player menu', () => {
    expect(languageName('de')).toBe('German');
    expect(languageName('not a code!')).toBe('not a code!');
  });
});
