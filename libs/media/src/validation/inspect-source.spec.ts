import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MediaProbeError } from '../errors';
import { probeMedia } from '../probe/probe-media';
import { runFfmpeg } from '../runner/run-ffmpeg';
import {
  hasIndexFirst,
  makeAudioOnly,
  makeClip,
  makeStillImage,
  makeTempDir,
  removeDir,
  truncateCopy,
  writeText,
} from '../testing/lavfi-fixtures';
import { checkTailDecodes } from './tail-decode-check';
import { inspectSource } from './inspect-source';
import { type SourceVerdict, validateSource } from './validate-source';

jest.setTimeout(60_000);

const codeOf = (verdict: SourceVerdict) => (verdict.ok ? 'OK' : verdict.rejection.code);

describe('source validation on real files', () => {
  let dir: string;
  let clip: string;
  let faststartClip: string;

  beforeAll(async () => {
    dir = await makeTempDir();
    clip = await makeClip(join(dir, 'clip.mp4'), { width: 320, height: 240, durationS: 4 });
    faststartClip = await makeClip(join(dir, 'faststart.mp4'), {
      width: 320,
      height: 240,
      durationS: 4,
      faststart: true,
    });
  });
  afterAll(() => removeDir(dir));

  it('accepts a good clip', async () => {
    const verdict = await inspectSource(clip);
    expect(verdict).toEqual({ ok: true, media: expect.objectContaining({ width: 320, height: 240, has_audio: true }) });
  });

  it('NOT_MEDIA: a text file renamed .mp4', async () => {
    const text = await writeText(join(dir, 'notes.mp4'), 'Meeting notes\nnot a video at all\n');
    const verdict = await inspectSource(text);
    expect(verdict).toEqual({ ok: false, rejection: { code: 'NOT_MEDIA', message: expect.any(String) } });
  });

  it('CORRUPT_MEDIA: an MP4 with its index at the end, cut in half (ffprobe: moov atom not found)', async () => {
    expect(await hasIndexFirst(clip)).toBe(false);
    const half = await truncateCopy(clip, join(dir, 'half.mp4'), 0.5);
    await expect(probeMedia(half)).rejects.toMatchObject({ code: 'CORRUPT_MEDIA' });
    expect(codeOf(await inspectSource(half))).toBe('CORRUPT_MEDIA');
  });

  it('CORRUPT_MEDIA: a faststart MP4 cut in half probes fine but fails the tail decode', async () => {
    expect(await hasIndexFirst(faststartClip)).toBe(true);
    const half = await truncateCopy(faststartClip, join(dir, 'faststart-half.mp4'), 0.5);
    const media = await probeMedia(half); // the index is intact, so ffprobe is satisfied
    expect(media.duration_s).toBeCloseTo(4, 0);
    expect(await checkTailDecodes(half, media.duration_s)).toEqual(expect.any(String));
    expect(await checkTailDecodes(faststartClip, media.duration_s)).toBeNull();
    const verdict = await inspectSource(half);
    expect(verdict).toEqual({
      ok: false,
      rejection: { code: 'CORRUPT_MEDIA', message: expect.stringContaining('damaged') },
    });
  });

  it('NO_VIDEO_STREAM: an audio-only file', async () => {
    const mp3 = await makeAudioOnly(join(dir, 'voice.mp3'), 1);
    expect(codeOf(await inspectSource(mp3))).toBe('NO_VIDEO_STREAM');
  });

  it('NOT_MEDIA: a still image (image demuxers are not on the format whitelist)', async () => {
    const png = await makeStillImage(join(dir, 'still.png'));
    expect(codeOf(await inspectSource(png))).toBe('NOT_MEDIA');
  });

  it('DURATION_TOO_LONG, FILE_TOO_LARGE, RESOLUTION_TOO_HIGH: configurable limits', async () => {
    expect(codeOf(await inspectSource(clip, { limits: { maxDurationS: 3 } }))).toBe('DURATION_TOO_LONG');
    expect(codeOf(await inspectSource(clip, { limits: { maxBytes: 10_000 } }))).toBe('FILE_TOO_LARGE');
    expect(codeOf(await inspectSource(clip, { bytes: 11 * 1024 ** 3 }))).toBe('FILE_TOO_LARGE');
    expect(codeOf(await inspectSource(clip, { limits: { maxLongSide: 300, maxShortSide: 200 } }))).toBe(
      'RESOLUTION_TOO_HIGH',
    );
  });

  it('VARIABLE_RESOLUTION: the decoded picture size changes mid-stream (two MPEG-TS parts of different sizes)', async () => {
    const small = await makeClip(join(dir, 'small.mp4'), { width: 64, height: 64, durationS: 1, audio: false });
    const large = await makeClip(join(dir, 'large.mp4'), { width: 320, height: 240, durationS: 1, audio: false });
    const parts = await Promise.all(
      [small, large].map(async (mp4, i) => {
        const ts = join(dir, `part-${i}.ts`);
        await runFfmpeg([
          '-hide_banner',
          '-nostdin',
          '-y',
          '-loglevel',
          'error',
          '-i',
          mp4,
          '-c',
          'copy',
          '-bsf:v',
          'h264_mp4toannexb',
          '-f',
          'mpegts',
          ts,
        ]);
        return readFile(ts);
      }),
    );
    const changing = join(dir, 'changing.ts');
    await writeFile(changing, Buffer.concat(parts));
    expect(await inspectSource(changing)).toEqual({
      ok: false,
      rejection: { code: 'VARIABLE_RESOLUTION', message: expect.stringContaining('64x64, then 320x240') },
    });
  });

  it('TOO_MANY_FRAMES: the frames counted in the file, against the duration', async () => {
    expect(codeOf(await inspectSource(clip, { limits: { maxFrameRate: 10 } }))).toBe('TOO_MANY_FRAMES');
  });

  it('ASPECT_RATIO_TOO_EXTREME: a 2x4320 source is refused at validation', async () => {
    const sliver = join(dir, 'sliver.mkv');
    await runFfmpeg([
      '-hide_banner',
      '-nostdin',
      '-y',
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=2x4320:rate=25:duration=1',
      '-c:v',
      'mjpeg',
      sliver,
    ]);
    expect(codeOf(await inspectSource(sliver))).toBe('ASPECT_RATIO_TOO_EXTREME');
  });

  it('validateSource takes the probe result or the probe error', async () => {
    const probeError = await probeMedia(join(dir, 'notes.mp4')).catch((e: unknown) => e as Error);
    expect(probeError).toBeInstanceOf(MediaProbeError);
    expect(codeOf(validateSource(probeError))).toBe('NOT_MEDIA');
    expect(codeOf(validateSource(await probeMedia(clip)))).toBe('OK');
  });
});
