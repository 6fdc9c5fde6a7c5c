// Chunked transcode bench (issue 12 §1): one long 1080p job through real transcoder processes on the
// local stack (Kafka, S3, Postgres), VideoValidated published here, timed to its RenditionsReady.
// Variants, interleaved per run:
//   single pass : 1 transcoder process, threshold above the source's duration (today's one ffmpeg pass);
//   chunked xN  : N transcoder processes (default 1, 2, 3), threshold/target lowered (default 60 s / 30 s)
//                 so that the source is cut into several chunks.
// Per variant: wall time (publish → RenditionsReady), CPU time of the transcoder processes (user + system of
// the Node processes and every child they waited for, i.e. every ffmpeg/ffprobe, from /proc), and every
// ffmpeg run (chunk encodes, audio, assembly) with its own wall and CPU time (bench/lib/ffmpeg-run-log.ts).
// Reports chunked/single CPU (goal ≤ 1.05), the wall times, and a model of the wall time for 8 and 16
// workers of 2 cores on a 14.5-minute 1080p source, from the per-chunk times measured with 1 process.
//
//   node -r @swc-node/register bench/chunked.bench.ts [--seconds 120] [--processes 1,2,3] [--runs 1]
//        [--threshold 60] [--target 30] [--write-readme]
//
// Needs the stack (run it under the stack lock: it joins the transcoder's consumer group) and no transcoder
// running (stop the background one first). --write-readme replaces the "## Chunked transcode" section of
// bench/README.md.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { JobSpec, ObjectRef, VideoValidated, newEnvelope } from '@tf/contracts';
import {
  MediaInfo,
  RENDITION_AUDIO_BITRATE,
  buildChunkAssemblyArgs,
  buildChunkAudioArgs,
  buildChunkEncodeArgs,
  buildTranscodeArgs,
  chunkKeep,
  chunkWindowOf,
  planChunks,
  planLadder,
  probeMedia,
  runFfmpeg,
  scanKeyframes,
  writeConcatList,
} from '@tf/media';
import { Buckets, ObjectStorage } from '@tf/storage';
import { FAST_EVICTION_ENV } from '../test/support/consumer-env';
import { EventBus } from '../test/support/event-bus';
import { ServiceProcess, startTsProcess } from '../test/support/processes';
import { FfmpegRun, makeFfmpegRunLog } from './lib/ffmpeg-run-log';
import { ffmpegVersion, makeSource } from './lib/hand-written-ffmpeg';
import { cliOptions, coreCount, loadAverages, median } from './lib/measure';
import { writeReadmeSection } from './lib/readme-section';

const cli = cliOptions();
const SOURCE_S = Number(cli.option('seconds', '120'));
const PROCESSES = cli.option('processes', '1,2,3').split(',').map(Number);
const RUNS = Number(cli.option('runs', '1'));
const THRESHOLD_S = Number(cli.option('threshold', '60'));
const TARGET_S = Number(cli.option('target', '30'));
const WRITE_README = cli.flag('write-readme');
/** Without the stack: the same @tf/media builders the transcoder runs, one after the other in this process. */
const OFFLINE = cli.flag('offline');
const LABELS = ['360p', '720p'];
const CHUNK_TOPIC = 'tf.video.chunks';
const JOB_TIMEOUT_MS = 60 * 60_000;
/** The original product's figure: a 14.5-minute 1080p source in 2–3 minutes with 8 workers. */
const MODEL_SOURCE_S = 14.5 * 60;
const MODEL_WORKERS = [8, 16];
const CLOCK_TICKS = 100;

interface Variant {
  name: string;
  replicas: number;
  chunked: boolean;
}

interface Measured {
  variant: Variant;
  wallS: number;
  cpuS: number;
  runs: FfmpegRun[];
  publishedAtS: number;
  readyAtS: number;
  chunkStarts: number[];
}

const spec: JobSpec = {
  tenant_id: 'bench',
  target_resolutions: LABELS,
  enable_hls: false,
  enable_transcription: false,
  webhook_url: null,
  priority: 'normal',
  language: null,
};

/** user + system + waited-for children's user + system of a process, in seconds (/proc/<pid>/stat 14–17). */
function processCpuS(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields.slice(11, 15).reduce((s, v) => s + Number(v), 0) / CLOCK_TICKS;
}

type RunKind = 'chunk' | 'single' | 'audio' | 'assembly' | 'thumbnails' | 'other';
function kindOf(run: FfmpegRun): RunKind {
  const has = (a: string) => run.args.includes(a);
  // A chunk reads a time range of the source (-ss and/or -to; chunk 0 has only -to, the last only -ss).
  if (has('libx264')) return has('-ss') || has('-to') ? 'chunk' : 'single';
  if (has('copy') || run.args.some((a) => a.startsWith('concat'))) return 'assembly';
  if (run.args.some((a) => a.endsWith('.jpg') || a.includes('thumb'))) return 'thumbnails';
  if (has('aac') || has('libmp3lame')) return 'audio';
  return 'other';
}

const seekOf = (run: FfmpegRun): number =>
  run.args.includes('-ss') ? Number(run.args[run.args.indexOf('-ss') + 1]) : 0;

/** Chunk durations (s) from their starts and the source's duration. */
function chunkDurations(starts: number[], durationS: number): Map<number, number> {
  const sorted = [...starts].sort((a, b) => a - b);
  return new Map(sorted.map((s, i) => [s, (sorted[i + 1] ?? durationS) - s]));
}

/** Longest-first list scheduling on `workers` identical workers: the makespan. */
function makespan(jobs: number[], workers: number): number {
  const loads = new Array<number>(workers).fill(0);
  for (const job of [...jobs].sort((a, b) => b - a)) {
    const i = loads.indexOf(Math.min(...loads));
    loads[i] += job;
  }
  return Math.max(...loads);
}

async function measure(
  variant: Variant,
  bus: EventBus,
  raw: ObjectRef,
  media: MediaInfo,
  work: string,
): Promise<Measured> {
  const log = makeFfmpegRunLog(path.join(work, `log-${randomUUID().slice(0, 6)}`));
  const env = {
    ...FAST_EVICTION_ENV,
    TF_HTTP_PORT: '0',
    TF_WORK_DIR: work,
    FFMPEG_PATH: log.wrapper,
    TF_CHUNK_THRESHOLD_SECONDS: String(variant.chunked ? THRESHOLD_S : Math.ceil(SOURCE_S) * 2),
    TF_CHUNK_TARGET_SECONDS: String(TARGET_S),
  };
  const replicas: ServiceProcess[] = Array.from({ length: variant.replicas }, () =>
    startTsProcess('apps/transcoder/src/main.ts', env),
  );
  try {
    await Promise.all(replicas.map((r) => r.waitForOutput(/joined group tf-transcoder/, 180_000)));
    const jobId = `bench-chunked-${randomUUID().slice(0, 8)}`;
    const ready = await bus.collect('RenditionsReady', new Set([jobId]));
    const chunks = await bus.collectKeyed(CHUNK_TOPIC, `${jobId}:`);
    // Every job reads the same uploaded source (a job's outputs go under its own id).
    const event: VideoValidated = { ...newEnvelope(jobId), source: raw, spec, media, only_stage: null };
    const cpu0 = replicas.reduce((s, r) => s + processCpuS(r.child.pid!), 0);
    const publishedAtS = Date.now() / 1000;
    const t0 = performance.now();
    await bus.publish('VideoValidated', event);
    await ready.waitFor(jobId, 1, () => true, JOB_TIMEOUT_MS);
    const wallS = (performance.now() - t0) / 1000;
    const readyAtS = Date.now() / 1000;
    // Every ffmpeg of the job has been waited for by now (the event is sent after the last one ended).
    const cpuS = replicas.reduce((s, r) => s + processCpuS(r.child.pid!), 0) - cpu0;
    return {
      variant,
      wallS,
      cpuS,
      runs: log.runs(),
      publishedAtS,
      readyAtS,
      chunkStarts: chunks.filter((c) => c.value.part === 'video').map((c) => Number(c.value.start_s)),
    };
  } finally {
    await Promise.all(replicas.map((r) => r.kill()));
  }
}

/**
 * --offline: the ffmpeg runs of each variant, made with the builders the transcoder uses, in this process
 * (no Kafka, no S3, no Node service): the single pass (buildTranscodeArgs), or the key frame scan, every
 * chunk encode one after the other, the audio encode and the assembly of each rendition.
 */
async function measureOffline(variant: Variant, source: string, media: MediaInfo, work: string): Promise<Measured> {
  const log = makeFfmpegRunLog(path.join(work, `log-${randomUUID().slice(0, 6)}`));
  process.env.FFMPEG_PATH = log.wrapper;
  const out = path.join(work, `out-${randomUUID().slice(0, 6)}`);
  mkdirSync(out);
  const { renditions } = planLadder(LABELS, media);
  const publishedAtS = Date.now() / 1000;
  const t0 = performance.now();
  let chunkStarts: number[] = [];
  if (!variant.chunked) {
    await runFfmpeg(buildTranscodeArgs({ source, outDir: out, media, renditions }), { durationS: media.duration_s });
  } else {
    const chunks = planChunks(await scanKeyframes(source, media), media.duration_s, TARGET_S);
    chunkStarts = chunks.map((c) => c.start_s);
    for (const range of chunks) {
      const outDir = path.join(out, `c${range.index}`);
      mkdirSync(outDir);
      await runFfmpeg(buildChunkEncodeArgs({ source, outDir, media, renditions, range, thumbnails: [] }), {
        durationS: media.duration_s,
      });
    }
    await runFfmpeg(buildChunkAudioArgs({ source, outDir: out, aacBitrate: RENDITION_AUDIO_BITRATE }), {
      durationS: media.duration_s,
    });
    for (const r of renditions) {
      // As the assembler: each chunk without its pre-roll and post-roll (the outpoint read from the file).
      const entries = [];
      for (const c of chunks) {
        const file = `c${c.index}/${r.label}.mp4`;
        const keep = await chunkKeep(path.join(out, file), chunkWindowOf({ media, range: c }));
        entries.push({ path: file, inpointS: keep.inpoint_s, outpointS: keep.outpoint_s, durationS: keep.duration_s });
      }
      const list = await writeConcatList(out, `${r.label}.ffconcat`, entries);
      await runFfmpeg(
        buildChunkAssemblyArgs({
          videoChunks: list,
          audioTrack: path.join(out, 'audio.m4a'),
          output: path.join(out, `${r.label}.mp4`),
        }),
      );
    }
  }
  const wallS = (performance.now() - t0) / 1000;
  const runs = log.runs();
  rmSync(out, { recursive: true, force: true });
  return {
    variant,
    wallS,
    cpuS: runs.reduce((s, r) => s + r.cpuS, 0),
    runs,
    publishedAtS,
    readyAtS: Date.now() / 1000,
    chunkStarts,
  };
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'tf-bench-chunked-'));
  const storage = new ObjectStorage();
  const bus = new EventBus();
  try {
    if (!OFFLINE) await storage.ensureBuckets();
    const sourcePath = makeSource({ seconds: SOURCE_S, audio: 'tone' });
    const media = await probeMedia(sourcePath);
    const raw = OFFLINE
      ? undefined
      : await storage.putFile(Buckets.raw, `bench-chunked-source-${SOURCE_S}s/source.mp4`, sourcePath, 'video/mp4');
    const variants: Variant[] = [
      { name: 'single pass, 1 process', replicas: 1, chunked: false },
      ...(OFFLINE ? [1] : PROCESSES).map((n) => ({
        name: OFFLINE ? 'chunked, builders in sequence' : `chunked, ${n} process${n > 1 ? 'es' : ''}`,
        replicas: n,
        chunked: true,
      })),
    ];
    const loadBefore = loadAverages();
    const results: Measured[] = [];
    for (let run = 1; run <= RUNS; run++) {
      for (const variant of variants) {
        const m = OFFLINE
          ? await measureOffline(variant, sourcePath, media, work)
          : await measure(variant, bus, raw!, media, work);
        results.push(m);
        // The raw figures, so a run's numbers survive whatever happens to the report.
        console.log(
          JSON.stringify({
            variant: variant.name,
            wallS: m.wallS,
            cpuS: m.cpuS,
            publishedAtS: m.publishedAtS,
            readyAtS: m.readyAtS,
            chunkStarts: m.chunkStarts,
            runs: m.runs.map((r) => ({
              kind: kindOf(r),
              seek: seekOf(r),
              startS: r.startS,
              endS: r.endS,
              cpuS: r.cpuS,
            })),
          }),
        );
        console.log(
          `run ${run} ${variant.name.padEnd(24)} wall ${m.wallS.toFixed(1)} s, cpu ${m.cpuS.toFixed(1)} s, ` +
            `${m.runs.filter((r) => kindOf(r) === 'chunk').length} chunk encodes, load ${loadAverages()}`,
        );
      }
    }
    const loadAfter = loadAverages();
    console.log(`\n${report(variants, results, media, loadBefore, loadAfter)}`);
    if (WRITE_README) writeReadmeSection(report(variants, results, media, loadBefore, loadAfter));
  } finally {
    await bus.close();
    rmSync(work, { recursive: true, force: true });
  }
}

function report(
  variants: Variant[],
  results: Measured[],
  media: MediaInfo,
  loadBefore: string,
  loadAfter: string,
): string {
  const of = (v: Variant) => results.filter((r) => r.variant === v);
  const med = (v: Variant, f: (m: Measured) => number) => median(of(v).map(f));
  const single = variants[0];
  const singleCpu = med(single, (m) => m.cpuS);
  const singleWall = med(single, (m) => m.wallS);
  const rows = variants.map((v) => {
    const cpu = med(v, (m) => m.cpuS);
    const wall = med(v, (m) => m.wallS);
    const chunks = med(v, (m) => m.runs.filter((r) => kindOf(r) === 'chunk').length);
    return `| ${v.name} | ${wall.toFixed(1)} | ${(wall / singleWall).toFixed(2)} | ${cpu.toFixed(1)} | ${(cpu / singleCpu).toFixed(3)} | ${chunks} |`;
  });

  // The model, from the chunked run with one process (each chunk encode then had the 2 cores to itself,
  // apart from the audio encode and the rest of the machine's load).
  const one =
    results.find((r) => r.variant.chunked && r.variant.replicas === 1) ?? results.find((r) => r.variant.chunked)!;
  const durations = chunkDurations(one.chunkStarts, media.duration_s);
  const chunkRuns = one.runs.filter((r) => kindOf(r) === 'chunk');
  // A chunk's encode seeks to its pre-roll (CHUNK_PREROLL_FRAMES, under 1.5 s) before its first join, which is its
  // range's start or the next grid instant (joinAt, under 2 s later): per second of the RANGE, so the rolls count
  // as the chunk's cost.
  const lengthOf = (r: FfmpegRun) =>
    [...durations.entries()].find(([start]) => seekOf(r) - start > -1.5 && seekOf(r) - start < 2.05)?.[1] ?? NaN;
  const wallPerS = median(chunkRuns.map((r) => (r.endS - r.startS) / lengthOf(r)));
  const cpuPerS = median(chunkRuns.map((r) => r.cpuS / lengthOf(r)));
  const audioRuns = one.runs.filter((r) => kindOf(r) === 'audio');
  const audioWallPerS = audioRuns.reduce((s, r) => s + (r.endS - r.startS), 0) / media.duration_s;
  const firstChunkS = Math.min(...chunkRuns.map((r) => r.startS));
  // The assembly waits for the last part: the last chunk or the audio encode, whichever ends later.
  const lastChunkS = Math.max(...[...chunkRuns, ...audioRuns].map((r) => r.endS));
  const planPerS = (firstChunkS - one.publishedAtS) / media.duration_s;
  const assemblyPerS = (one.readyAtS - lastChunkS) / media.duration_s;
  const singleWallPerS = singleWall / media.duration_s;
  const model = (target: number, workers: number, chunkPerS: number) => {
    const count = Math.ceil(MODEL_SOURCE_S / target);
    const length = MODEL_SOURCE_S / count;
    const jobs = [...new Array<number>(count).fill(length * chunkPerS), MODEL_SOURCE_S * audioWallPerS];
    return MODEL_SOURCE_S * planPerS + makespan(jobs, workers) + MODEL_SOURCE_S * assemblyPerS;
  };
  const minutes = (s: number) => `${(s / 60).toFixed(1)} min`;
  const modelRows = [60, 30].flatMap((target) =>
    MODEL_WORKERS.map(
      (w) =>
        `| ${w} workers x 2 cores, chunks of ~${target} s (${Math.ceil(MODEL_SOURCE_S / target)}) | ${minutes(model(target, w, wallPerS))} | ${minutes(model(target, w, cpuPerS / 2))} |`,
    ),
  );
  const perKind = (m: Measured) =>
    (['chunk', 'single', 'audio', 'assembly', 'thumbnails', 'other'] as RunKind[])
      .map((k) => [k, m.runs.filter((r) => kindOf(r) === k)] as const)
      .filter(([, runs]) => runs.length)
      .map(([k, runs]) => `${k} ${runs.length}× ${runs.reduce((s, r) => s + r.cpuS, 0).toFixed(1)} CPU s`)
      .join(', ');

  return [
    ...(OFFLINE
      ? [
          '## Chunked transcode: builders',
          '',
          `\`node -r @swc-node/register bench/chunked.bench.ts --offline --seconds ${SOURCE_S} --runs ${RUNS} --target ${TARGET_S}\`:`,
          `a generated 1920x1080 30 fps, ${media.duration_s.toFixed(1)} s H.264/AAC source (bench/lib/hand-written-ffmpeg.ts) -> ${LABELS.join(' + ')},`,
          `without the stack: the ffmpeg runs the transcoder makes (${ffmpegVersion()}), from the same @tf/media builders, one after the`,
          'other in one process: the single pass (buildTranscodeArgs), or the chunk encodes (scanKeyframes + planChunks,',
          `TF_CHUNK_TARGET_SECONDS=${TARGET_S}), the audio encode and the -c copy assembly of each rendition. CPU time: user + system`,
          'of every ffmpeg run (a bash wrapper, bench/lib/ffmpeg-run-log.ts; the ffprobe key frame scan is not counted). Medians of',
        ]
      : [
          '## Chunked transcode',
          '',
          `\`node -r @swc-node/register bench/chunked.bench.ts --seconds ${SOURCE_S} --processes ${PROCESSES.join(',')} --runs ${RUNS} --threshold ${THRESHOLD_S} --target ${TARGET_S}\`:`,
          `a generated 1920x1080 30 fps, ${media.duration_s.toFixed(1)} s H.264/AAC source (bench/lib/hand-written-ffmpeg.ts) -> ${LABELS.join(' + ')},`,
          `VideoValidated published to real transcoder processes (started from source, ${ffmpegVersion()}) on the local stack, timed to`,
          `RenditionsReady. Chunked runs cut at source key frames with TF_CHUNK_THRESHOLD_SECONDS=${THRESHOLD_S},`,
          `TF_CHUNK_TARGET_SECONDS=${TARGET_S}; the single pass has the threshold above the duration. CPU time: user + system of the`,
          'transcoder processes and every child they waited for (ffmpeg, ffprobe), from /proc. Medians of',
        ]),
    `${RUNS} interleaved run(s) on ${coreCount()} cores shared with other work: load average ${loadBefore} before, ${loadAfter} after (1/5/15 min).`,
    '',
    '| variant | wall (s) | wall / single | CPU (s) | CPU / single | chunk encodes |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `ffmpeg runs per variant (last run): ${variants.map((v) => `${v.name}: ${perKind(of(v).at(-1)!)}`).join('; ')}.`,
    '',
    `**Model for a 14.5-minute 1080p source** (${LABELS.join(' + ')}), from the run with one process: a chunk encode took`,
    `${wallPerS.toFixed(3)} s of wall time and ${cpuPerS.toFixed(3)} CPU s per second of media (medians over ${chunkRuns.length} chunks), the audio`,
    `encode ${audioWallPerS.toFixed(3)} s per second, planning (publish → first chunk encode) ${planPerS.toFixed(3)} s per second, assembly`,
    `(last chunk or audio part → RenditionsReady: concat, thumbnails, probes, uploads) ${assemblyPerS.toFixed(3)} s per second, all scaled linearly to`,
    `${MODEL_SOURCE_S} s; chunks and the audio encode are scheduled longest first on the workers. The single pass on this machine:`,
    `${singleWallPerS.toFixed(3)} s per second of media, i.e. ${minutes(MODEL_SOURCE_S * singleWallPerS)} for 14.5 minutes. "ideal" takes the chunk CPU time / 2 cores.`,
    '',
    '| workers | modelled wall (measured chunk wall time) | modelled wall (ideal: CPU / 2) |',
    '| --- | --- | --- |',
    ...modelRows,
    '',
    "The original product's figure: 2–3 minutes for a 14.5-minute 1080p source with 8 workers. The model leaves out",
    'Kafka and S3 contention between workers and the HLS packaging after RenditionsReady.',
    '',
  ].join('\n');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
