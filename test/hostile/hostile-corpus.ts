// The hostile-media corpus, generated at test time (nothing committed): playlists and lists that name
// other inputs (pointing at the test's listener), media that lies about itself, and tiny valid clips.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runFfmpeg } from '@tf/media';
import { makeSampleClip } from '@tf/testing';
import type { HostileListener } from './hostile-listener';

const exec = promisify(execFile);
const QUIET = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error'];

/** What must become of a file: a failed job with one of these codes, or a completed job (outputs checked). */
export type Expectation = { fails: string[] } | { completes: { thumbnails: number | 'some'; audio: boolean } };

export interface HostileFile {
  name: string;
  /** Writes the file into `dir` and returns its path (the upload keeps its name). */
  make: (dir: string, listener: HostileListener) => Promise<string>;
  expect: Expectation;
}

const text = (content: string) => async (path: string) => {
  await writeFile(path, content);
  return path;
};

/** An HLS media playlist whose extra lines and segment URI are the attacker's. */
const hlsPlaylist = (segmentUri: string, extra = '') =>
  `#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:2\n${extra}#EXTINF:2.0,\n${segmentUri}\n#EXTINF:2.0,\n${segmentUri}&n=2\n#EXT-X-ENDLIST\n`;

const lavfiVideo = (size: string, seconds: number, fps = 25) => [
  '-f',
  'lavfi',
  '-i',
  `testsrc2=size=${size}:rate=${fps}:duration=${seconds}`,
];
const h264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];

/** Makes a fixture; `roomy` lifts the memory limit for the one fixture that encodes 16000x16000 pictures. */
async function ff(args: string[], roomy = false): Promise<void> {
  await runFfmpeg(
    [...QUIET, ...args],
    roomy ? { budget: { wallS: 300, cpuS: 600, memoryBytes: 16 * 1024 ** 3, niceness: 0 } } : {},
  );
}

/** Replaces the size of the JPEG frames number `which` (SOF0 markers, in file order) in an MJPEG file. */
function patchJpegFrameSizes(
  bytes: Buffer,
  from: [number, number],
  to: [number, number],
  which: (index: number) => boolean,
): Buffer {
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, from[1] >> 8, from[1] & 0xff, from[0] >> 8, from[0] & 0xff]);
  const copy = Buffer.from(bytes);
  let index = 0;
  for (let at = copy.indexOf(sof); at !== -1; at = copy.indexOf(sof, at + sof.length), index += 1) {
    if (!which(index)) continue;
    copy.writeUInt16BE(to[1], at + 5);
    copy.writeUInt16BE(to[0], at + 7);
  }
  return copy;
}

export const HOSTILE_FILES: HostileFile[] = [
  // --- Playlists and lists naming other inputs: refused before anything is opened.
  {
    name: 'hls-segment.mp4',
    make: (d, l) => text(hlsPlaylist(`${l.httpBase}/segment-0.ts?a=1`))(join(d, 'hls-segment.mp4')),
    expect: { fails: ['NOT_MEDIA'] },
  },
  {
    name: 'hls-segment-ext-trick.mp4',
    make: (d, l) => text(hlsPlaylist(`${l.httpBase}/latest/meta-data?x=.ts`))(join(d, 'hls-segment-ext-trick.mp4')),
    expect: { fails: ['NOT_MEDIA'] },
  },
  {
    name: 'hls-key.mp4',
    make: (d, l) =>
      text(hlsPlaylist(`${l.httpBase}/s.ts?k=1`, `#EXT-X-KEY:METHOD=AES-128,URI="${l.httpBase}/key.bin"\n`))(
        join(d, 'hls-key.mp4'),
      ),
    expect: { fails: ['NOT_MEDIA'] },
  },
  {
    name: 'hls-map.mp4',
    make: (d, l) =>
      text(hlsPlaylist(`${l.httpBase}/s.m4s?m=1`, `#EXT-X-MAP:URI="${l.httpBase}/init.mp4"\n`))(join(d, 'hls-map.mp4')),
    expect: { fails: ['NOT_MEDIA'] },
  },
  {
    name: 'hls-variant.mp4',
    make: (d, l) =>
      text(`#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360\n${l.httpBase}/variant.m3u8?x=.m3u8\n`)(
        join(d, 'hls-variant.mp4'),
      ),
    expect: { fails: ['NOT_MEDIA'] },
  },
  {
    name: 'hls-media-group.mp4',
    make: (d, l) =>
      text(
        `#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",NAME="x",URI="${l.httpBase}/audio.m3u8"\n#EXT-X-STREAM-INF:BANDWIDTH=1,AUDIO="a"\n${l.httpBase}/v.m3u8\n`,
      )(join(d, 'hls-media-group.mp4')),
    expect: { fails: ['NOT_MEDIA'] },
  },
  {
    name: 'hls-file-url.mp4',
    make: (d) => text(hlsPlaylist('file:///etc/passwd?x=.ts'))(join(d, 'hls-file-url.mp4')),
    expect: { fails: ['NOT_MEDIA'] },
  },
  {
    name: 'hls-concat-url.mp4',
    make: (d, l) =>
      text(hlsPlaylist(`concat:${l.httpBase}/a.ts|${l.httpBase}/b.ts?x=.ts`))(join(d, 'hls-concat-url.mp4')),
    expect: { fails: ['NOT_MEDIA'] },
  },
  {
    name: 'hls-relative-segment.mp4',
    make: (d) => text(hlsPlaylist('../../../../etc/hostname?x=.ts'))(join(d, 'hls-relative-segment.mp4')),
    expect: { fails: ['NOT_MEDIA'] },
  },
  {
    name: 'hls-as-m3u8.m3u8',
    make: (d, l) => text(hlsPlaylist(`${l.httpBase}/slow-segment.ts?s=1`))(join(d, 'hls-as-m3u8.m3u8')),
    expect: { fails: ['NOT_MEDIA'] },
  },
  {
    name: 'hls-as-ts.ts',
    make: (d, l) => text(hlsPlaylist(`${l.httpBase}/slow-segment.ts?s=2`))(join(d, 'hls-as-ts.ts')),
    expect: { fails: ['NOT_MEDIA'] },
  },
  {
    name: 'hls-bom-crlf.mp4',
    make: (d, l) =>
      text(`\uFEFF${hlsPlaylist(`${l.httpBase}/bom.ts?x=1`).replace(/\n/g, '\r\n')}`)(join(d, 'hls-bom-crlf.mp4')),
    expect: { fails: ['NOT_MEDIA'] },
  },
  {
    name: 'ffconcat.mp4',
    make: (d, l) =>
      text(`ffconcat version 1.0\nfile '${l.httpBase}/part1.mp4'\nfile '${l.httpBase}/part2.mp4'\n`)(
        join(d, 'ffconcat.mp4'),
      ),
    expect: { fails: ['NOT_MEDIA'] },
  },
  {
    name: 'concat-list.mkv',
    make: (d, l) => text(`file '${l.httpBase}/part1.mp4'\nfile '/etc/passwd'\n`)(join(d, 'concat-list.mkv')),
    expect: { fails: ['NOT_MEDIA'] },
  },
  {
    name: 'sdp-rtp.mp4',
    make: (d, l) =>
      text(
        `v=0\no=- 0 0 IN IP4 127.0.0.1\ns=x\nc=IN IP4 127.0.0.1\nt=0 0\nm=video ${l.udpPort} RTP/AVP 96\na=rtpmap:96 H264/90000\n`,
      )(join(d, 'sdp-rtp.mp4')),
    expect: { fails: ['NOT_MEDIA'] },
  },
  {
    name: 'dash-manifest.mp4',
    make: (d, l) =>
      text(
        `<?xml version="1.0"?>\n<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT4S"><BaseURL>${l.httpBase}/</BaseURL><Period><AdaptationSet><Representation id="1" bandwidth="1"><SegmentList><SegmentURL media="seg1.mp4"/></SegmentList></Representation></AdaptationSet></Period></MPD>\n`,
      )(join(d, 'dash-manifest.mp4')),
    expect: { fails: ['NOT_MEDIA'] },
  },
  {
    name: 'image2-pattern-%03d.mp4',
    make: async (d) => {
      await ff([...lavfiVideo('64x64', 0.04), '-frames:v', '1', join(d, 'frame-001.png')]);
      return text('not read: the pattern name must not make ffmpeg open frame-001.png\n')(
        join(d, 'image2-pattern-%03d.mp4'),
      );
    },
    expect: { fails: ['NOT_MEDIA'] },
  },
  {
    name: 'png-as-mp4.mp4',
    make: async (d) => (
      await ff([
        ...lavfiVideo('64x64', 0.04),
        '-frames:v',
        '1',
        '-f',
        'image2',
        '-c:v',
        'png',
        join(d, 'png-as-mp4.mp4'),
      ]),
      join(d, 'png-as-mp4.mp4')
    ),
    expect: { fails: ['NOT_MEDIA'] },
  },
  {
    name: 'raw-h264.mp4',
    make: async (d) => (
      await ff([...lavfiVideo('128x72', 1), ...h264, '-f', 'h264', join(d, 'raw-h264.mp4')]),
      join(d, 'raw-h264.mp4')
    ),
    expect: { fails: ['NOT_MEDIA'] },
  },
  {
    name: 'subtitles.mp4',
    make: (d, l) => text(`WEBVTT\n\n00:00.000 --> 00:01.000\n<c.${l.httpBase}>hi</c>\n`)(join(d, 'subtitles.mp4')),
    expect: { fails: ['NOT_MEDIA'] },
  },
  {
    name: 'plain-text.mp4',
    make: (d) => text('These are meeting notes, not a video.\n'.repeat(40))(join(d, 'plain-text.mp4')),
    expect: { fails: ['NOT_MEDIA'] },
  },
  {
    name: 'random-bytes.mkv',
    make: async (d) => (
      await writeFile(
        join(d, 'random-bytes.mkv'),
        Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)),
      ),
      join(d, 'random-bytes.mkv')
    ),
    expect: { fails: ['NOT_MEDIA'] },
  },

  // --- Media that lies about itself.
  {
    name: 'resolution-change.ts',
    make: async (d) => {
      const parts = [join(d, 'small-part.ts'), join(d, 'large-part.ts')];
      await ff([...lavfiVideo('64x64', 2), ...h264, '-g', '25', '-f', 'mpegts', parts[0]]);
      await ff([...lavfiVideo('640x360', 2), ...h264, '-g', '25', '-f', 'mpegts', parts[1]]);
      const out = join(d, 'resolution-change.ts');
      await writeFile(out, Buffer.concat([await readFile(parts[0]), await readFile(parts[1])]));
      return out;
    },
    expect: { fails: ['VARIABLE_RESOLUTION'] },
  },
  {
    name: 'huge-frames-inside.mkv',
    make: async (d) => {
      // A 64x64 MJPEG stream with two real 16000x16000 frames in the middle (the header says 64x64).
      const parts = [join(d, 'huge-a.mkv'), join(d, 'huge-b.mkv')];
      await ff(['-f', 'lavfi', '-i', 'testsrc2=size=64x64:rate=25:duration=1', '-c:v', 'mjpeg', '-q:v', '5', parts[0]]);
      await ff(
        [
          '-f',
          'lavfi',
          '-i',
          'color=c=gray:size=16000x16000:rate=25:duration=0.08',
          '-c:v',
          'mjpeg',
          '-q:v',
          '31',
          parts[1],
        ],
        true,
      );
      const list = join(d, 'huge-list.txt');
      await writeFile(list, [parts[0], parts[1], parts[0], parts[0]].map((p) => `file '${p}'\n`).join(''));
      const out = join(d, 'huge-frames-inside.mkv');
      await ff(['-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', out]);
      return out;
    },
    expect: { fails: ['RESOLUTION_TOO_HIGH'] },
  },
  {
    name: 'lying-frame-headers.mkv',
    make: async (d) => {
      const small = join(d, 'lying-src.mkv');
      await ff([...lavfiVideo('64x64', 2), '-c:v', 'mjpeg', '-q:v', '5', small]);
      const out = join(d, 'lying-frame-headers.mkv');
      // Frames 20 to 22 of a 64x64 stream claim 16000x16000 without the data: they do not decode.
      await writeFile(
        out,
        patchJpegFrameSizes(await readFile(small), [64, 64], [16000, 16000], (i) => i >= 20 && i <= 22),
      );
      return out;
    },
    expect: { fails: ['CORRUPT_MEDIA', 'RESOLUTION_TOO_HIGH'] },
  },
  {
    name: 'huge-declared-size.avi',
    make: async (d) => {
      const src = join(d, 'huge-declared-src.avi');
      await ff([...lavfiVideo('64x64', 1), '-c:v', 'mjpeg', src]);
      const out = join(d, 'huge-declared-size.avi');
      await writeFile(
        out,
        patchJpegFrameSizes(await readFile(src), [64, 64], [30000, 30000], () => true),
      );
      return out;
    },
    expect: { fails: ['RESOLUTION_TOO_HIGH', 'CORRUPT_MEDIA'] },
  },
  {
    name: 'aspect-2x4320.mkv',
    make: async (d) => (
      await ff([...lavfiVideo('2x4320', 1), '-c:v', 'mjpeg', join(d, 'aspect-2x4320.mkv')]),
      join(d, 'aspect-2x4320.mkv')
    ),
    expect: { fails: ['ASPECT_RATIO_TOO_EXTREME'] },
  },
  {
    name: 'aspect-4096x64.mp4',
    make: async (d) => (
      await ff([...lavfiVideo('4096x64', 1), ...h264, join(d, 'aspect-4096x64.mp4')]),
      join(d, 'aspect-4096x64.mp4')
    ),
    expect: { fails: ['ASPECT_RATIO_TOO_EXTREME'] },
  },
  {
    name: 'too-many-frames.mkv',
    make: async (d) => (
      await ff([...lavfiVideo('16x16', 2, 1000), '-c:v', 'mjpeg', join(d, 'too-many-frames.mkv')]),
      join(d, 'too-many-frames.mkv')
    ),
    expect: { fails: ['TOO_MANY_FRAMES'] },
  },
  {
    name: 'truncated.mp4',
    make: async (d) => {
      const whole = await makeSampleClip(join(d, 'truncated-src.mp4'), {
        width: 320,
        height: 180,
        durationS: 3,
        tone: true,
      });
      const bytes = await readFile(whole);
      await writeFile(join(d, 'truncated.mp4'), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
      return join(d, 'truncated.mp4');
    },
    expect: { fails: ['CORRUPT_MEDIA'] },
  },
  {
    name: 'truncated-faststart.mp4',
    make: async (d) => {
      const src = join(d, 'faststart-src.mp4');
      await ff([...lavfiVideo('320x180', 3), ...h264, '-movflags', '+faststart', src]);
      const bytes = await readFile(src);
      await writeFile(join(d, 'truncated-faststart.mp4'), bytes.subarray(0, Math.floor(bytes.length * 0.5)));
      return join(d, 'truncated-faststart.mp4');
    },
    expect: { fails: ['CORRUPT_MEDIA'] },
  },
  {
    name: 'speech-only.mp4',
    make: async (d) => {
      await exec('espeak-ng', ['-w', join(d, 'speech-only.wav'), 'There is no picture in this file.']);
      await ff(['-i', join(d, 'speech-only.wav'), '-c:a', 'aac', '-f', 'mp4', join(d, 'speech-only.mp4')]);
      return join(d, 'speech-only.mp4');
    },
    expect: { fails: ['NO_VIDEO_STREAM'] },
  },
  {
    name: 'wav-as-mp4.mp4',
    make: async (d) => (
      await exec('espeak-ng', ['-w', join(d, 'wav-as-mp4.mp4'), 'A wave file named mp4.']),
      join(d, 'wav-as-mp4.mp4')
    ),
    expect: { fails: ['NO_VIDEO_STREAM'] },
  },

  // --- Tiny but valid: complete, with the thumbnails that exist.
  {
    name: 'one-frame.mp4',
    make: (d) =>
      makeSampleClip(join(d, 'one-frame.mp4'), { width: 320, height: 180, durationS: 0.04, fps: 25, speech: false }),
    expect: { completes: { thumbnails: 1, audio: false } },
  },
  {
    name: 'one-frame-long-audio.mp4',
    make: async (d) => {
      const out = join(d, 'one-frame-long-audio.mp4');
      await ff([
        ...lavfiVideo('320x180', 0.04),
        '-f',
        'lavfi',
        '-i',
        'sine=frequency=440:sample_rate=48000:duration=2',
        ...h264,
        '-c:a',
        'aac',
        out,
      ]);
      return out;
    },
    expect: { completes: { thumbnails: 1, audio: true } },
  },
  {
    name: 'half-second.mp4',
    make: (d) =>
      makeSampleClip(join(d, 'half-second.mp4'), { width: 320, height: 180, durationS: 0.5, fps: 25, tone: true }),
    expect: { completes: { thumbnails: 'some', audio: true } },
  },
  {
    name: 'aspect-16-to-1.mp4',
    make: async (d) => (
      await ff([...lavfiVideo('1024x64', 1), ...h264, join(d, 'aspect-16-to-1.mp4')]),
      join(d, 'aspect-16-to-1.mp4')
    ),
    expect: { completes: { thumbnails: 5, audio: false } },
  },
];
