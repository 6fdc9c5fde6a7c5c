#!/usr/bin/env node
// Transcoder bench: a generated 1080p, 60 s clip with audio -> 360p + 720p MP4, MP3, 5 thumbnails.
// Compares
//   ours      : @tf/media's one-pass command (planLadder + buildTranscodeArgs + runFfmpeg),
//   baseline  : one hand-written ffmpeg command producing the same outputs with the same encoder settings,
//   separate  : the same outputs from separate processes (one per rendition, one for the MP3,
//               one fast-seek per thumbnail), run one after another, for reference,
// and prints ours/baseline. The point of ours vs baseline: the typed builders must not cost anything
// over what a person would write by hand; separate shows what decoding once saves.
//
//   node bench/transcode.bench.mjs [--runs 3] [--write-readme] [--seconds 60]
//
// Needs ffmpeg/ffprobe and node_modules (it compiles libs/media with the repo's tsc into node_modules/.cache,
// since the repo has no TS runner). --write-readme replaces the "Transcoder" section of bench/README.md
// and writes the same section to bench/transcode.results.md.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const option = (name, fallback) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : fallback);
const RUNS = Number(option('runs', 3));
const WRITE_README = argv.includes('--write-readme');
const SOURCE_S = Number(option('seconds', 60)); // shorter only to try the bench out; results are for 60
const LABELS = '360p,720p';

function compileMediaLib(outDir) {
  const tsc = path.join(root, 'node_modules', '.bin', 'tsc');
  const result = spawnSync(
    tsc,
    ['--outDir', outDir, '--rootDir', path.join(root, 'libs/media/src'), '--module', 'commonjs', '--target', 'ES2022',
      '--esModuleInterop', '--skipLibCheck', '--strict', '--types', 'node', path.join(root, 'libs/media/src/index.ts')],
    { stdio: 'inherit' },
  );
  if (result.status !== 0) throw new Error('tsc failed on libs/media');
  return createRequire(import.meta.url)(path.join(outDir, 'index.js'));
}

function ffmpeg(args) {
  execFileSync(process.env.FFMPEG_PATH || 'ffmpeg', ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/**
 * CPU time is the number to compare: this machine is shared, and wall time under load says more about the
 * neighbours than about the command. A bash wrapper around ffmpeg appends the children's user and system
 * time (bash `times`) to a log after each ffmpeg; pointing FFMPEG_PATH (which runFfmpeg honours) at it measures
 * every variant the same way.
 */
function makeCpuTimingWrapper(dir) {
  const realFfmpeg = execFileSync('bash', ['-c', 'command -v ffmpeg']).toString().trim();
  const wrapper = path.join(dir, 'ffmpeg-timed.sh');
  const log = path.join(dir, 'cpu.log');
  // `times` prints two lines, the shell's own and its children's; it must not run in a pipe (a subshell has no children).
  writeFileSync(wrapper, `#!/usr/bin/env bash\n"${realFfmpeg}" "$@"\nrc=$?\ntimes >> "${log}"\nexit $rc\n`, { mode: 0o755 });
  const seconds = (t) => t.split(/\s+/).filter(Boolean).map((v) => { const [, m, s] = /^(\d+)m([\d.]+)s$/.exec(v); return 60 * Number(m) + Number(s); });
  return {
    wrapper,
    reset: () => writeFileSync(log, ''),
    /** user + system seconds of every ffmpeg since reset. */
    total: () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .filter((_, i) => i % 2 === 1) // the children's line
        .flatMap(seconds)
        .reduce((a, b) => a + b, 0),
  };
}

/** A 1080p30 source like a camera upload: moving test pattern, 440 Hz tone, H.264 + AAC. Cached across runs. */
function makeSource(cacheDir) {
  const file = path.join(cacheDir, `tf-bench-source-1080p-${SOURCE_S}s.mp4`);
  if (!existsSync(file)) {
    console.log(`generating ${file} ...`);
    ffmpeg([
      '-f', 'lavfi', '-i', `testsrc2=size=1920x1080:rate=30:duration=${SOURCE_S}`,
      '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${SOURCE_S}`,
      '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '160k',
      '-movflags', '+faststart', `${file}.part.mp4`,
    ]);
    execFileSync('mv', [`${file}.part.mp4`, file]);
  }
  return file;
}

// The hand-written equivalents. Same x264/AAC/MP3/JPEG settings as the builders (see libs/media/src/ffmpeg),
// written the way one would on a command line.
const x264 = (maxrate, level) => [
  '-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'high', '-level:v', level, '-pix_fmt', 'yuv420p', '-crf', '23',
  '-maxrate', maxrate, '-bufsize', String(2 * parseInt(maxrate, 10)) + 'k', '-g', '60', '-keyint_min', '60', '-sc_threshold', '0',
  '-force_key_frames', 'expr:gte(t,n_forced*2)',
];
const aac = ['-c:a', 'aac', '-b:a', '128k', '-ac', '2', '-ar', '48000'];
const mp3 = ['-c:a', 'libmp3lame', '-b:a', '192k', '-ac', '2', '-ar', '44100'];
const thumbTimes = [0.1, 0.3, 0.5, 0.7, 0.9].map((p) => p * SOURCE_S);

function baselineArgs(source, out) {
  const select = thumbTimes.map((t) => `gte(t,${t})*(isnan(prev_selected_t)+lt(prev_selected_t,${t}))`).join('+');
  return [
    '-i', source,
    '-filter_complex', `[0:v]split=3[a][b][c];[a]scale=640:360[v360];[b]scale=1280:720[v720];[c]select='${select}',scale=640:-2[thumbs]`,
    '-map', '[v360]', '-map', '0:a', ...x264('800k', '3.0'), ...aac, '-movflags', '+faststart', path.join(out, '360p.mp4'),
    '-map', '[v720]', '-map', '0:a', ...x264('2800k', '3.1'), ...aac, '-movflags', '+faststart', path.join(out, '720p.mp4'),
    '-map', '0:a', '-vn', ...mp3, path.join(out, 'audio.mp3'),
    '-map', '[thumbs]', '-frames:v', '5', '-fps_mode', 'passthrough', '-q:v', '3', path.join(out, 'thumb-%d.jpg'),
  ];
}

function runSeparate(source, out) {
  ffmpeg(['-i', source, '-vf', 'scale=640:360', ...x264('800k', '3.0'), ...aac, '-movflags', '+faststart', path.join(out, '360p.mp4')]);
  ffmpeg(['-i', source, '-vf', 'scale=1280:720', ...x264('2800k', '3.1'), ...aac, '-movflags', '+faststart', path.join(out, '720p.mp4')]);
  ffmpeg(['-i', source, '-vn', ...mp3, path.join(out, 'audio.mp3')]);
  thumbTimes.forEach((t, i) =>
    ffmpeg(['-ss', String(t), '-i', source, '-frames:v', '1', '-vf', 'scale=640:-2', '-q:v', '3', path.join(out, `thumb-${i + 1}.jpg`)]),
  );
}

async function timed(fn) {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const work = mkdtempSync(path.join(tmpdir(), 'tf-bench-transcode-'));
  try {
    // Compiled under node_modules/.cache so that the library's own requires (fluent-ffmpeg) resolve.
    const media = compileMediaLib(path.join(root, 'node_modules', '.cache', 'tf-bench-media'));
    const source = makeSource(tmpdir());
    const info = await media.probeMedia(source);
    const { renditions } = media.planLadder(LABELS, info);
    const expected = ['360p.mp4', '720p.mp4', 'audio.mp3', ...[1, 2, 3, 4, 5].map((n) => `thumb-${n}.jpg`)].sort();

    const variants = {
      ours: (out) => media.runFfmpeg(media.buildTranscodeArgs({ source, outDir: out, media: info, renditions }), { durationS: info.duration_s }),
      baseline: (out) => media.runFfmpeg(['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', ...baselineArgs(source, out)]),
      separate: (out) => runSeparate(source, out),
    };
    const cpu = makeCpuTimingWrapper(work);
    process.env.FFMPEG_PATH = cpu.wrapper;
    const times = Object.fromEntries(Object.keys(variants).map((k) => [k, { wall: [], cpu: [] }]));
    for (let run = 1; run <= RUNS; run++) {
      // Interleaved, so a burst of load elsewhere on the machine hits every variant alike.
      for (const [name, fn] of Object.entries(variants)) {
        const out = path.join(work, `${name}-${run}`);
        mkdirSync(out);
        cpu.reset();
        const wall = await timed(() => fn(out));
        const files = readdirSync(out).sort();
        if (JSON.stringify(files) !== JSON.stringify(expected)) throw new Error(`${name} wrote ${files.join(', ')}`);
        times[name].wall.push(wall);
        times[name].cpu.push(cpu.total());
        console.log(`run ${run} ${name.padEnd(8)} wall ${wall.toFixed(1)} s, cpu ${cpu.total().toFixed(1)} s`);
        rmSync(out, { recursive: true, force: true });
      }
    }

    const m = Object.fromEntries(
      Object.entries(times).map(([k, v]) => [k, { wall: median(v.wall), cpu: median(v.cpu) }]),
    );
    const ratio = m.ours.cpu / m.baseline.cpu;
    const wallRatio = m.ours.wall / m.baseline.wall;
    const load = loadavg()[0].toFixed(1);
    const ffmpegVersion = execFileSync('ffmpeg', ['-version']).toString().split('\n')[0].split(' ').slice(0, 3).join(' ');
    const rows = [
      ['ours (one process, @tf/media builders)', m.ours],
      ['baseline (one hand-written command)', m.baseline],
      ['separate processes (2 encodes + MP3 + 5 seeks)', m.separate],
    ];
    const section = [
      '## Transcoder',
      '',
      `\`node bench/transcode.bench.mjs --runs ${RUNS}\`: a generated 1920x1080 30 fps, ${SOURCE_S} s H.264/AAC clip -> ${LABELS.replace(',', ' + ')} MP4 (x264 veryfast, capped CRF 23),`,
      `192 kbit/s MP3 and 5 JPEG thumbnails 640 px wide. Medians of ${RUNS} interleaved runs on ${cpus().length} cores, ${ffmpegVersion}.`,
      'CPU time is user + system time of all ffmpeg processes of a variant (the machine is shared, so wall time is noisy:',
      `load average ${load} at the end of this run).`,
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
      `Raw CPU times (s): ${Object.entries(times).map(([k, v]) => `${k} ${v.cpu.map((x) => x.toFixed(1)).join(', ')}`).join('; ')}.`,
      '',
    ].join('\n');
    console.log(`\n${section}`);
    if (WRITE_README) {
      writeReadmeSection(section);
      // The same section on its own, a file of this bench's (bench/README.md is shared with the other benches).
      writeFileSync(path.join(root, 'bench', 'transcode.results.md'), `${section.trimEnd()}\n`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Replaces (or appends) the "## Transcoder" section, leaving the other benches' sections alone. */
function writeReadmeSection(section) {
  const file = path.join(root, 'bench', 'README.md');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const start = text.search(/^## Transcoder\s*$/m);
  let next;
  if (start !== -1) {
    const rest = text.slice(start + 1).search(/^## /m);
    next = rest === -1 ? text.length : start + 1 + rest;
  }
  const updated =
    start === -1 ? `${text.trimEnd()}\n\n${section}` : `${text.slice(0, start)}${section}\n${text.slice(next).replace(/^\n+/, '')}`;
  writeFileSync(file, updated.endsWith('\n') ? updated : `${updated}\n`);
  console.log(`updated ${path.relative(root, file)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
