import { decideMaster } from './master-decision';
import type { SubtitleSource } from './packaging.entity';

const subtitles: SubtitleSource = {
  vtt: { bucket: 'processed-videos', key: 'j/transcript.vtt', bytes: 10, content_type: 'text/vtt' },
  language: 'en',
  segment_count: 3,
};
const fresh = { master_key: null, subtitles: null, has_subtitles: false };

describe('decideMaster', () => {
  it('packages without subtitles while no transcript is known', () => {
    expect(decideMaster('renditions', fresh)).toEqual({ action: 'write-master', withSubtitles: false });
  });

  it('packages with subtitles at once when the transcript came first', () => {
    expect(decideMaster('renditions', { ...fresh, subtitles })).toEqual({
      action: 'write-master',
      withSubtitles: true,
    });
  });

  it('only records a transcript that arrives before the renditions are packaged', () => {
    expect(decideMaster('transcript', { ...fresh, subtitles })).toEqual({
      action: 'none',
      reason: 'awaiting-renditions',
    });
  });

  it('rewrites the master with subtitles when the transcript arrives after packaging', () => {
    expect(decideMaster('transcript', { master_key: 'j/master.m3u8', subtitles, has_subtitles: false })).toEqual({
      action: 'write-master',
      withSubtitles: true,
    });
  });

  it('does nothing for a transcript when the master already has subtitles', () => {
    expect(decideMaster('transcript', { master_key: 'j/master.m3u8', subtitles, has_subtitles: true })).toEqual({
      action: 'none',
      reason: 'already-subtitled',
    });
  });

  it('repackages a redelivered RenditionsReady with what is known now', () => {
    expect(decideMaster('renditions', { master_key: 'j/master.m3u8', subtitles, has_subtitles: true })).toEqual({
      action: 'write-master',
      withSubtitles: true,
    });
  });
});
