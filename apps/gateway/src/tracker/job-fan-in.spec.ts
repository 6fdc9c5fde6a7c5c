import { collectOutputs, skippedOutputs } from '../jobs/job-outputs';
import { decideCompletion, transcriptExpected } from './job-fan-in';
import { media, ref, spec } from './tracker-fixtures';
import { JobSpec } from '@tf/contracts';
import { FanInFacts } from './job-fan-in';

const renditions = {
  renditions: [
    {
      label: '360p',
      width: 640,
      height: 360,
      video_bitrate: 1,
      audio_bitrate: 1,
      codecs: 'c',
      object: ref('processed-videos', 'j/360p.mp4'),
    },
    {
      label: '720p',
      width: 1280,
      height: 720,
      video_bitrate: 1,
      audio_bitrate: 1,
      codecs: 'c',
      object: ref('processed-videos', 'j/720p.mp4'),
    },
  ],
  skipped: [{ label: '1080p', reason: 'UPSCALE_NOT_ALLOWED' }],
  audio: ref('processed-videos', 'j/audio.mp3'),
  thumbnails: [ref('processed-videos', 'j/thumb-1.jpg'), ref('processed-videos', 'j/thumb-2.jpg')],
};
const packagedWith = (has_subtitles: boolean) => ({
  master: ref('hls-streams', 'j/master.m3u8'),
  variants: [],
  has_subtitles,
});
const transcript = {
  language: 'en',
  model: 'base',
  segment_count: 1,
  files: [{ format: 'srt', object: ref('processed-videos', 'j/transcript.srt') }],
};

const facts = (s: JobSpec, over: Partial<FanInFacts> = {}): FanInFacts => ({
  spec: s,
  media: media(),
  renditions: null,
  packaged: null,
  transcript: null,
  ...over,
});
const waiting = (f: FanInFacts) => {
  const d = decideCompletion(f);
  return d.complete ? 'complete' : d.waitingFor.join(',');
};

describe('transcriptExpected', () => {
  it('needs the request and audio; is unknown until the media is', () => {
    expect(transcriptExpected(spec({ enable_transcription: false }), null)).toBe(false);
    expect(transcriptExpected(spec(), null)).toBeNull();
    expect(transcriptExpected(spec(), media({ has_audio: false }))).toBe(false);
    expect(transcriptExpected(spec(), media())).toBe(true);
  });
});

describe('decideCompletion (the fan-in rule)', () => {
  it('HLS without transcription: renditions + packaged', () => {
    const s = spec({ enable_transcription: false });
    expect(waiting(facts(s))).toBe('renditions,hls');
    expect(waiting(facts(s, { renditions }))).toBe('hls');
    expect(waiting(facts(s, { packaged: packagedWith(false) }))).toBe('renditions');
    expect(waiting(facts(s, { renditions, packaged: packagedWith(false) }))).toBe('complete');
  });

  it('HLS with an expected transcript: the transcript and the packaging with subtitles', () => {
    const s = spec();
    expect(waiting(facts(s, { renditions, packaged: packagedWith(false) }))).toBe('hls-subtitles,transcript');
    expect(waiting(facts(s, { renditions, packaged: packagedWith(false), transcript }))).toBe('hls-subtitles');
    expect(waiting(facts(s, { renditions, packaged: packagedWith(true) }))).toBe('transcript');
    expect(waiting(facts(s, { renditions, packaged: packagedWith(true), transcript }))).toBe('complete');
  });

  it('transcription asked for a silent source: no transcript expected, packaging without subtitles is final', () => {
    const s = spec();
    expect(waiting(facts(s, { media: media({ has_audio: false }), renditions, packaged: packagedWith(false) }))).toBe(
      'complete',
    );
  });

  it('no HLS: renditions (+ transcript when expected)', () => {
    expect(waiting(facts(spec({ enable_hls: false, enable_transcription: false }), { renditions }))).toBe('complete');
    expect(waiting(facts(spec({ enable_hls: false }), { renditions }))).toBe('transcript');
    expect(waiting(facts(spec({ enable_hls: false }), { renditions, transcript }))).toBe('complete');
  });

  it('never completes while the media (and so the transcript expectation) is unknown', () => {
    expect(waiting(facts(spec({ enable_hls: false }), { media: null, transcript }))).toBe('renditions,media');
  });

  it('lists the outputs of the completed job', () => {
    const d = decideCompletion(facts(spec(), { renditions, packaged: packagedWith(true), transcript }));
    expect(d.complete && d.outputs.map((o) => `${o.kind}:${o.label}:${o.object.key}`)).toEqual([
      'rendition:360p:j/360p.mp4',
      'rendition:720p:j/720p.mp4',
      'hls:master:j/master.m3u8',
      'audio:mp3:j/audio.mp3',
      'thumbnail:thumb-1:j/thumb-1.jpg',
      'thumbnail:thumb-2:j/thumb-2.jpg',
      'transcript:srt:j/transcript.srt',
    ]);
  });
});

describe('collectOutputs / skippedOutputs', () => {
  it('lists what exists so far', () => {
    expect(collectOutputs({ renditions: null, packaged: null, transcript: null })).toEqual([]);
    expect(
      collectOutputs({
        renditions: { ...renditions, audio: null, thumbnails: [] },
        packaged: null,
        transcript: null,
      }).map((o) => o.label),
    ).toEqual(['360p', '720p']);
  });

  it('reports skipped rungs and the transcript of a silent source', () => {
    expect(skippedOutputs(facts(spec(), { renditions }))).toEqual([{ label: '1080p', reason: 'UPSCALE_NOT_ALLOWED' }]);
    expect(skippedOutputs(facts(spec(), { media: media({ has_audio: false }) }))).toEqual([
      { label: 'transcript', reason: 'NO_AUDIO' },
    ]);
    expect(
      skippedOutputs(facts(spec({ enable_transcription: false }), { media: media({ has_audio: false }) })),
    ).toEqual([]);
  });
});
