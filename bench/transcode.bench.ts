// Transcoder bench: a generated 1080p, 60 s clip with audio -> 360p + 720p MP4, MP3, 5 thumbnails.
// Compares
//   ours      : @tf/media's one-pass command (planLadder + buildTranscodeArgs + runFfmpeg),
//   baseline  : one hand-written ffmpeg command producing the same outputs with the same encoder settings
//               (bench/lib/hand-written-ffmpeg.ts),
//   separate  : the same outputs from separate processes (one per rendition, one for the MP3,
//               one fast-seek per thumbnail), run one after another, for reference,
// and prints ours/baseline. The point of ours vs baseline: the typed builders must not cost anything
// over what a person would write by hand; separate shows what decoding once saves.
//
//   node -r @swc-node/register bench/transcode.bench.ts [--runs 3] [--write-readme] [--seconds 60]
//
// Needs ffmpeg/ffprobe. --write-readme replaces the "## Transcoder" section of bench/README.md.
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildTranscodeArgs, planLadder, probeMedia, runFfmpeg } from '@tf/media';
import {
  BASELINE_OUTPUTS,
  QUIET,
  aac,
  baselineArgs,
  ffmpegSync,
  ffmpegVersion,
  makeCpuTimingWrapper,
  makeSource,
  mp3,
  thumbTimes,
  x264,
} from './lib/hand-written-ffmpeg';
import { cliOptions, coreCount, loadAverages, median, timed } from './lib/measure';
import { writeReadmeSection } from './lib/readme-section';

const cli = cliOptions();
const RUNS = Number(cli.option('runs', '3'));
const WRITE_README = cli.flag('write-readme');
const SOURCE_S = Number(cli.option('seconds', '60')); // shorter only to try the bench out; results are for 60
const LABELS = '360p,720p';

type Variant = 'ours' | 'baseline' | 'separate';

function runSeparate(source: string, out: string): void {
  ffmpegSync([
    '-i',
    source,
    '-vf',
    'scale=640:360',
    ...x264('800k', '3.0'),
    ...aac,
    '-movflags',
    '+faststart',
    path.join(out, '360p.mp4'),
  ]);
  ffmpegSync([
    '-i',
    source,
    '-vf',
    'scale=1280:720',
    ...x264('2800k', '3.1'),
    ...aac,
    '-movflags',
    '+faststart',
    path.join(out, '720p.mp4'),
  ]);
  ffmpegSync(['-i', source, '-vn', ...mp3, path.join(out, 'audio.mp3')]);
  thumbTimes(SOURCE_S).forEach((t, i) =>
    ffmpegSync([
      '-ss',
      String(t),
      '-i',
      source,
      '-frames:v',
      '1',
      '-vf',
      'scale=640:-2',
      '-q:v',
      '3',
      path.join(out, `thumb-${i + 1}.jpg`),
    ]),
  );
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'tf-bench-transcode-'));
  try {
    const source = makeSource({ seconds: SOURCE_S, audio: 'tone' });
    const info = await probeMedia(source);
    const { renditions } = planLadder(LABELS, info);

    const variants: Record<Variant, (out: string) => unknown> = {
      ours: (out) =>
        runFfmpeg(buildTranscodeArgs({ source, outDir: out, media: info, renditions }), { durationS: info.duration_s }),
      baseline: (out) => runFfmpeg([...QUIET, ...baselineArgs(source, out, SOURCE_S)]),
      separate: (out) => runSeparate(source, out),
    };
    const names = Object.keys(variants) as Variant[];
    const cpu = makeCpuTimingWrapper(work);
    process.env.FFMPEG_PATH = cpu.wrapper;
    const times = Object.fromEntries(names.map((k) => [k, { wall: [] as number[], cpu: [] as number[] }])) as Record<
      Variant,
      { wall: number[]; cpu: number[] }
    >;
    for (let run = 1; run <= RUNS; run++) {
      // Interleaved, so a burst of load elsewhere on the machine hits every variant alike.
      for (const name of names) {
        const out = path.join(work, `${name}-${run}`);
        mkdirSync(out);
        cpu.reset();
        const wall = await timed(() => variants[name](out));
        const files = readdirSync(out).sort();
        if (JSON.stringify(files) !== JSON.stringify(BASELINE_OUTPUTS))
          throw new Error(`${name} wrote ${files.join(', ')}`);
        times[name].wall.push(wall);
        times[name].cpu.push(cpu.total());
        console.log(`run ${run} ${name.padEnd(8)} wall ${wall.toFixed(1)} s, cpu ${cpu.total().toFixed(1)} s`);
        rmSync(out, { recursive: true, force: true });
      }
    }

    const m = Object.fromEntries(
      names.map((k) => [k, { wall: median(times[k].wall), cpu: median(times[k].cpu) }]),
    ) as Record<Variant, { wall: number; cpu: number }>;
    const ratio = m.ours.cpu / m.baseline.cpu;
    const wallRatio = m.ours.wall / m.baseline.wall;
    const rows: Array<[string, { wall: number; cpu: number }]> = [
      ['ours (one process, @tf/media builders)', m.ours],
      ['baseline (one hand-written command)', m.baseline],
      ['separate processes (2 encodes + MP3 + 5 seeks)', m.separate],
    ];
    const section = [
      '## Transcoder',
      '',
      `\`node -r @swc-node/register bench/transcode.bench.ts --runs ${RUNS}\`: a generated 1920x1080 30 fps, ${SOURCE_S} s H.264/AAC clip -> ${LABELS.replace(',', ' + ')} MP4 (x264 veryfast, capped CRF 23),`,
      `192 kbit/s MP3 and 5 JPEG thumbnails 640 px wide. Medians of ${RUNS} interleaved runs on ${coreCount()} cores, ${ffmpegVersion()}.`,
      'CPU time is user + system time of all ffmpeg processes of a variant (the machine is shared, so wall time is noisy:',
      `load average ${loadAverages()} (1/5/15 min) at the end of this run).`,
      '',
      '| variant | CPU time (s) | wall time (s) |',
      '| --- | --- | --- |',
      ...rows.map(([name, t]) => `| ${name} | ${t.cpu.toFixed(1)} | ${t.wall.toFixed(1)} |`),
      '',
      `**ours / baseline = ${ratio.toFixed(3)}** (CPU time; wall time ${wallRatio.toFixed(2)}). ` +
        `separate / ours = ${(m.separate.cpu / m.ours.cpu).toFixed(2)} (CPU time).`,
      '',
      'ours and baseline use the same encoder settings, so a ratio near 1 means the typed builders cost nothing over a hand-written command; separate decodes the source once per output.',
      '',
      `Raw CPU times (s): ${names.map((k) => `${k} ${times[k].cpu.map((x) => x.toFixed(1)).join(', ')}`).join('; ')}.`,
      `Raw wall times (s): ${names.map((k) => `${k} ${times[k].wall.map((x) => x.toFixed(1)).join(', ')}`).join('; ')}.`,
      '',
    ].join('\n');
    console.log(`\n${section}`);
    if (WRITE_README) writeReadmeSection(section);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
