import { planLadder } from '../ladder/plan-ladder';
import type { MediaInfo } from '../media-info';
import { buildTranscodeArgs, plannedOutputs } from './transcode-args';
import { mediaInfo } from '../../../testing/src/pipeline-events';

const media = mediaInfo({ duration_s: 10, bit_rate: 0 });

function plan(m: MediaInfo = media, labels = '360p,720p') {
  return { source: '/in/source.mp4', outDir: '/out', media: m, renditions: planLadder(labels, m).renditions };
}

/** The options between the previous output file and this one. */
function outputOptions(args: string[], file: string): string[] {
  const end = args.indexOf(file);
  let start = end - 1;
  while (start > 0 && !/^\/out\//.test(args[start])) start--;
  return args.slice(start + 1, end);
}

const valueOf = (opts: string[], flag: string) => opts[opts.indexOf(flag) + 1];

describe('buildTranscodeArgs', () => {
  const args = buildTranscodeArgs(plan());

  it('reads one input and decodes it once through one filter graph', () => {
    expect(args.filter((a) => a === '-i')).toHaveLength(1);
    expect(args.filter((a) => a === '-filter_complex')).toHaveLength(1);
    expect(valueOf(args, '-filter_complex')).toMatch(/^\[0:v:0\]split=3\[split0\]\[split1\]\[split2\];/);
    expect(args.slice(0, 8)).toEqual([
      '-hide_banner',
      '-nostdin',
      '-y',
      '-loglevel',
      'error',
      '-progress',
      'pipe:1',
      '-nostats',
    ]);
  });

  it('writes the deterministic file names', () => {
    const files = args.filter((a) => a.startsWith('/out/'));
    expect(files).toEqual(['/out/360p.mp4', '/out/720p.mp4', '/out/audio.mp3', '/out/thumb-%d.jpg']);
    expect(plannedOutputs(plan())).toEqual({
      renditions: [
        { label: '360p', path: '/out/360p.mp4' },
        { label: '720p', path: '/out/720p.mp4' },
      ],
      audio: '/out/audio.mp3',
      thumbnails: ['/out/thumb-1.jpg', '/out/thumb-2.jpg', '/out/thumb-3.jpg', '/out/thumb-4.jpg', '/out/thumb-5.jpg'],
    });
  });

  it('encodes each rendition as H.264 High with capped CRF, a 2 s GOP, AAC and faststart', () => {
    const opts = outputOptions(args, '/out/720p.mp4');
    expect(opts).toEqual(expect.arrayContaining(['-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'high']));
    expect(valueOf(opts, '-level:v')).toBe('3.1');
    expect(valueOf(opts, '-maxrate')).toBe('2800000');
    expect(valueOf(opts, '-bufsize')).toBe('5600000');
    expect(valueOf(opts, '-g')).toBe('50');
    expect(valueOf(opts, '-keyint_min')).toBe('50');
    expect(valueOf(opts, '-sc_threshold')).toBe('0');
    expect(valueOf(opts, '-force_key_frames')).toBe('expr:gte(t,n_forced*2)');
    expect(opts).toEqual(expect.arrayContaining(['-c:a', 'aac', '-b:a', '128000', '-ac', '2']));
    expect(valueOf(opts, '-movflags')).toBe('+faststart');
    expect(valueOf(opts, '-map_metadata')).toBe('-1');
    expect(valueOf(opts, '-map')).toBe('[v720p]');
  });

  it('writes a 192 kbit/s MP3 and exactly 5 thumbnails 640 px wide', () => {
    const mp3 = outputOptions(args, '/out/audio.mp3');
    expect(mp3).toEqual(expect.arrayContaining(['-map', '0:a:0', '-vn', '-c:a', 'libmp3lame', '-b:a', '192000']));
    const thumbs = outputOptions(args, '/out/thumb-%d.jpg');
    expect(valueOf(thumbs, '-frames:v')).toBe('5');
    expect(valueOf(thumbs, '-map')).toBe('[vthumbs]');
    const graph = valueOf(args, '-filter_complex');
    expect(graph).toContain('scale=640:-2');
    for (const t of [1, 3, 5, 7, 9]) expect(graph).toContain(`gte(t,${t})`);
  });

  it('leaves out audio, and the MP3, for a silent source', () => {
    const silent = buildTranscodeArgs(plan({ ...media, has_audio: false, audio_codec: null }));
    expect(silent).not.toContain('0:a:0');
    expect(silent).not.toContain('/out/audio.mp3');
    expect(plannedOutputs(plan({ ...media, has_audio: false, audio_codec: null })).audio).toBeNull();
  });

  it('halves frame rates above 60 before the split and sizes the GOP for the output rate', () => {
    const fast = buildTranscodeArgs(plan({ ...media, fps: 120 }, '360p'));
    expect(valueOf(fast, '-filter_complex')).toMatch(/^\[0:v:0\]fps=60,split=2/);
    expect(valueOf(outputOptions(fast, '/out/360p.mp4'), '-g')).toBe('120');
  });

  it('can skip thumbnails and the MP3', () => {
    const bare = buildTranscodeArgs({ ...plan(), mp3: false, thumbnails: false });
    expect(bare.filter((a) => a.startsWith('/out/'))).toEqual(['/out/360p.mp4', '/out/720p.mp4']);
    expect(valueOf(bare, '-filter_complex')).toMatch(/split=2/);
  });
});
