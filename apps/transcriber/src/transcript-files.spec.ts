import type { JobSpec } from '@tf/contracts';
import type { StoredObject } from '@tf/storage';
import { type TranscriptResult, parseSrt, parseVtt } from '@tf/transcription';
import { renderTranscript, reportedLanguage, transcriptReadyEvent, transcriptionSkipReason } from './transcript-files';
import { videoValidatedEvent } from '../../../libs/testing/src/pipeline-events';

const spec = (extra: Partial<JobSpec> = {}): JobSpec => videoValidatedEvent({ spec: extra }).spec;

const validated = (extra: { spec?: Partial<JobSpec>; has_audio?: boolean } = {}) =>
  videoValidatedEvent({
    spec: extra.spec,
    media: extra.has_audio === false ? { has_audio: false, audio_codec: null } : {},
  });

const result = (extra: Partial<TranscriptResult> = {}): TranscriptResult => ({
  language: 'en',
  language_probability: 0.93,
  duration_s: 12,
  speech_s: 9,
  model: 'whisper-base',
  beam_size: 1,
  vad: true,
  word_timestamps: true,
  batch_size: 0,
  elapsed_s: 2,
  cpu_s: 3,
  segments: [
    {
      start: 1.2,
      end: 4.5,
      text: ' Hello <world> & friends. ',
      words: [
        { start: 1.2, end: 1.9, word: ' Hello', probability: 0.9 },
        { start: 2, end: 4.5, word: ' world', probability: 0.8 },
      ],
    },
    { start: 4.2, end: 8, text: ' Second   cue ', words: [] }, // overlaps the first: pushed to 4.5
    { start: 9, end: 9.5, text: '   ', words: [] }, // blank: dropped
    { start: 11, end: 14, text: 'Cut at the end', words: [] }, // clamped to the 12 s of audio
  ],
  ...extra,
});

const stored = (key: string, content_type: string): StoredObject => ({
  bucket: 'processed-videos',
  key,
  bytes: 10,
  content_type,
});

describe('renderTranscript', () => {
  it('writes the four formats under processed-videos/{job}/ with their content types', () => {
    const t = renderTranscript('job-1', result(), spec());
    expect(t.files.map((f) => [f.format, f.key, f.contentType])).toEqual([
      ['srt', 'job-1/transcript.srt', 'application/x-subrip'],
      ['vtt', 'job-1/transcript.vtt', 'text/vtt'],
      ['json', 'job-1/transcript.json', 'application/json'],
      ['txt', 'job-1/transcript.txt', 'text/plain'],
    ]);
    expect(t).toMatchObject({ language: 'en', model: 'whisper-base', duration_s: 12, segment_count: 3 });
  });

  it('renders monotonic cues within the audio duration, identical in SRT and VTT', () => {
    const body = (f: string) => renderTranscript('job-1', result(), spec()).files.find((x) => x.format === f)!.body;
    const srt = parseSrt(body('srt'));
    expect(srt).toEqual([
      { start: 1.2, end: 4.5, text: 'Hello <world> & friends.' },
      { start: 4.5, end: 8, text: 'Second cue' },
      { start: 11, end: 12, text: 'Cut at the end' },
    ]);
    const vtt = parseVtt(body('vtt'));
    expect(vtt.map((c) => [c.start, c.end])).toEqual(srt.map((c) => [c.start, c.end]));
    expect(vtt[0].text).toBe('Hello &lt;world&gt; &amp; friends.');
    expect(body('txt')).toBe('Hello <world> & friends.\nSecond cue\nCut at the end\n');
  });

  it('puts language, model, duration and the segments with their words in transcript.json', () => {
    const json = JSON.parse(renderTranscript('job-1', result(), spec()).files.find((f) => f.format === 'json')!.body);
    expect(json).toMatchObject({
      language: 'en',
      model: 'whisper-base',
      duration_s: 12,
      text: 'Hello <world> & friends. Second cue Cut at the end',
    });
    expect(json.segments).toHaveLength(3);
    expect(json.segments[0]).toEqual({
      start: 1.2,
      end: 4.5,
      text: 'Hello <world> & friends.',
      words: [
        { start: 1.2, end: 1.9, word: 'Hello', probability: 0.9 },
        { start: 2, end: 4.5, word: 'world', probability: 0.8 },
      ],
    });
    expect(json.segments[1].words).toEqual([]);
  });

  it('gives empty files and 0 segments for no speech, with the hint (or "und") as the language', () => {
    const silent = result({ language: 'und', language_probability: 0, speech_s: 0, segments: [] });
    const t = renderTranscript('job-1', silent, spec());
    expect(t).toMatchObject({ language: 'und', segment_count: 0 });
    const bodies = Object.fromEntries(t.files.map((f) => [f.format, f.body]));
    expect(bodies.srt).toBe('');
    expect(bodies.txt).toBe('');
    expect(bodies.vtt).toBe('WEBVTT\n');
    expect(parseVtt(bodies.vtt)).toEqual([]);
    expect(JSON.parse(bodies.json)).toEqual({
      language: 'und',
      model: 'whisper-base',
      duration_s: 12,
      text: '',
      segments: [],
    });
    expect(renderTranscript('job-1', silent, spec({ language: 'de' })).language).toBe('de');
  });
});

describe('reportedLanguage', () => {
  it('keeps what the worker detected or was given', () => {
    expect(reportedLanguage('fr', { language: null })).toBe('fr');
    expect(reportedLanguage('en', { language: 'en' })).toBe('en');
  });
  it('falls back to the hint, then "und", when the worker found no speech', () => {
    expect(reportedLanguage('und', { language: 'es' })).toBe('es');
    expect(reportedLanguage('und', { language: null })).toBe('und');
    expect(reportedLanguage('', { language: null })).toBe('und');
  });
});

describe('transcriptReadyEvent', () => {
  const t = renderTranscript('job-1', result(), spec());
  const all = t.files.map((f) => ({ format: f.format, object: stored(f.key, f.contentType) }));

  it('maps the result and the stored files to the event', () => {
    const event = transcriptReadyEvent(validated(), t, [...all].reverse(), 3);
    expect(event).toMatchObject({
      job_id: 'job-1',
      attempt: 3,
      spec: validated().spec,
      language: 'en',
      model: 'whisper-base',
      duration_s: 12,
      segment_count: 3,
    });
    expect(event.event_id).not.toBe(validated().event_id);
    expect(event.files).toEqual([
      { format: 'srt', object: stored('job-1/transcript.srt', 'application/x-subrip') },
      { format: 'vtt', object: stored('job-1/transcript.vtt', 'text/vtt') },
      { format: 'json', object: stored('job-1/transcript.json', 'application/json') },
      { format: 'txt', object: stored('job-1/transcript.txt', 'text/plain') },
    ]);
  });

  it('refuses to describe a file that was not stored', () => {
    expect(() => transcriptReadyEvent(validated(), t, all.slice(0, 3), 1)).toThrow(/transcript\.txt/);
  });
});

describe('transcriptionSkipReason', () => {
  it('transcribes when asked and the source has audio', () => {
    expect(transcriptionSkipReason(validated())).toBeNull();
  });
  it('skips when transcription was not requested', () => {
    expect(transcriptionSkipReason(validated({ spec: { enable_transcription: false } }))).toMatch(/not requested/);
  });
  it('skips a source without audio', () => {
    expect(transcriptionSkipReason(validated({ has_audio: false }))).toMatch(/no audio/);
  });
});
