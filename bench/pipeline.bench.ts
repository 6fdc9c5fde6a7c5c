// Pipeline bench: a generated 1080p, 60 s clip with speech, through the running services, against the
// hand-written ffmpeg command that makes the transcoder's outputs (bench/lib/hand-written-ffmpeg.ts).
// Per run, interleaved:
//   baseline              : the hand-written command (360p + 720p MP4, MP3, 5 thumbnails in one ffmpeg);
//                           wall time, and CPU time through the ffmpeg wrapper;
//   pipeline, no transcr. : the same file uploaded through @tf/client (360p,720p, HLS on, transcription off);
//   pipeline, transcr. on : the same with transcription on (the product's default).
// For each job: the transcoder's wall time from the job's timeline (stage `transcode`: finished_at -
// started_at, i.e. from VideoValidated to RenditionsReady: download, the one ffmpeg pass, probes, upload of the
// outputs), and the end-to-end time from the start of the upload to `completed`, on the client's clock.
// Reports medians and the ratios transcoder / baseline and pipeline / baseline.
//
//   node -r @swc-node/register bench/pipeline.bench.ts [--runs 2] [--write-readme] [--seconds 60]
//
// Runs `bash scripts/services.sh up` first (a no-op when the services answer). Needs ffmpeg and espeak-ng.
// --write-readme replaces the "## Pipeline" section of bench/README.md.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { request } from 'undici';
import { type JobView, TranscodeFlowClient } from '@tf/client';
import { probeMedia, runFfmpeg } from '@tf/media';
import {
  BASELINE_OUTPUTS,
  QUIET,
  baselineArgs,
  ffmpegVersion,
  makeCpuTimingWrapper,
  makeSource,
} from './lib/hand-written-ffmpeg';
import { localApiKey, servicesReady } from './lib/local-services';
import { cliOptions, coreCount, loadAverages, median, timed } from './lib/measure';
import { writeReadmeSection } from './lib/readme-section';

const root = path.resolve(__dirname, '..');
const cli = cliOptions();
const RUNS = Number(cli.option('runs', '2'));
const WRITE_README = cli.flag('write-readme');
const SOURCE_S = Number(cli.option('seconds', '60')); // shorter only to try the bench out; results are for 60
const LABELS = ['360p', '720p'];

const JOB_TIMEOUT_MS = 30 * 60_000;
const WAIT_MIN = Number(cli.option('wait-min', '60'));
const ATTEMPTS = 4;

interface TimelineEntry {
  stage: string;
  status: string;
  started_at: string | null;
  finished_at: string | null;
}

interface PipelineRun {
  jobId: string;
  /** Client side: POST /upload until the job id came back. */
  uploadS: number;
  /** Client side: start of the upload until waitForJob saw `completed`. */
  endToEndS: number;
  /** Timeline durations by stage (validate, transcode, package, transcribe). */
  stages: Record<string, number>;
  /** user + system CPU of the transcoder's finished children (ffmpeg, ffprobe) during the job; null if not measurable. */
  transcoderChildCpuS: number | null;
  /** Encoded by the transcoder of scripts/services.sh (its log says so), not by a replica started elsewhere; null: unknown. */
  transcodedHere: boolean | null;
}

const VARIANTS = [
  { key: 'off', name: 'pipeline, transcription off', enableTranscription: false },
  { key: 'on', name: 'pipeline, transcription on (product default)', enableTranscription: true },
] as const;

const stageSeconds = (e: TimelineEntry | undefined): number =>
  e?.started_at && e.finished_at ? (Date.parse(e.finished_at) - Date.parse(e.started_at)) / 1000 : NaN;

/**
 * CPU of the transcoder's ffmpeg/ffprobe for one job: the growth of the transcoder process's cutime + cstime
 * (/proc/<pid>/stat: CPU of its children that have exited). Only when the services run here from
 * scripts/services.sh (pid file, log), and only counted when nothing else could be in it: no child running at
 * the start, the same process at the end, and no other job's "encoding" line in its log meanwhile (other
 * people's tests share the stack and can start transcoders of their own in the same consumer group).
 */
interface ProbeStart {
  pid: string;
  cpu: number | null;
  at: number;
}

class TranscoderCpuProbe {
  private readonly pidFile = path.join(root, '.stack/run/services/transcoder.pid');
  private readonly logFile = path.join(root, '.stack/logs/transcoder.log');
  private readonly ticks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

  start(): ProbeStart {
    const pid = existsSync(this.pidFile) ? readFileSync(this.pidFile, 'utf8').trim() : '';
    const cpu = pid ? this.childCpu(pid) : null;
    return { pid, cpu: cpu !== null && !this.hasChildren(pid) ? cpu : null, at: Date.now() };
  }

  /**
   * here: whether this transcoder encoded the job (null without its log); cpuS: its children's CPU since
   * `start`, null when it may include another job's or the job went elsewhere.
   */
  stop(started: ProbeStart, jobId: string): { here: boolean | null; cpuS: number | null } {
    if (!existsSync(this.logFile)) return { here: null, cpuS: null };
    const encoded = this.encodedJobsSince(started.at);
    const pid = existsSync(this.pidFile) ? readFileSync(this.pidFile, 'utf8').trim() : '';
    const cpu = started.cpu !== null && pid === started.pid ? this.childCpu(pid) : null;
    const alone = encoded.size === 1 && encoded.has(jobId);
    return { here: encoded.has(jobId), cpuS: cpu !== null && started.cpu !== null && alone ? cpu - started.cpu : null };
  }

  private childCpu(pid: string): number | null {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // from the 3rd field (state) on
      return (Number(fields[13]) + Number(fields[14])) / this.ticks; // cutime, cstime: fields 16 and 17
    } catch {
      return null;
    }
  }

  private hasChildren(pid: string): boolean {
    try {
      return execFileSync('pgrep', ['-P', pid]).toString().trim() !== '';
    } catch {
      return false; // pgrep exits 1 when there is none
    }
  }

  private encodedJobsSince(at: number): Set<string> {
    const jobs = new Set<string>();
    if (!existsSync(this.logFile)) return jobs;
    for (const line of readFileSync(this.logFile, 'utf8').split('\n')) {
      if (!line.includes(': encoding ')) continue;
      try {
        const entry = JSON.parse(line) as { time?: string; job_id?: string };
        if (entry.job_id && entry.time && Date.parse(entry.time) >= at) jobs.add(entry.job_id);
      } catch {}
    }
    return jobs;
  }
}

/** GET /api/v1/jobs with a query (undici: 10080 is a Fetch "bad port"); the client has no list call. */
async function listJobs(
  query: Record<string, string>,
): Promise<Array<{ job_id: string; status: string; created_at: string }>> {
  const response = await request(
    `http://127.0.0.1:10080/api/v1/jobs?${new URLSearchParams({ limit: '100', ...query })}`,
    {
      headers: { 'x-api-key': localApiKey() },
    },
  );
  if (response.statusCode !== 200)
    throw new Error(`GET /api/v1/jobs: ${response.statusCode} ${await response.body.text()}`);
  return ((await response.body.json()) as { jobs: Array<{ job_id: string; status: string; created_at: string }> }).jobs;
}

/** Best effort: POST /api/v1/jobs/:id/cancel (the client has no cancel call). */
async function cancelJob(jobId: string): Promise<void> {
  await request(`http://127.0.0.1:10080/api/v1/jobs/${jobId}/cancel`, {
    method: 'POST',
    headers: { 'x-api-key': localApiKey(), 'content-type': 'application/json' },
    body: JSON.stringify({ reason: 'pipeline bench: attempt discarded' }),
  }).then(
    (r) => r.body.text(),
    () => undefined,
  );
}

async function runPipeline(
  client: TranscodeFlowClient,
  cpuProbe: TranscoderCpuProbe,
  source: string,
  enableTranscription: boolean,
  onJob: (jobId: string) => void,
): Promise<PipelineRun> {
  const cpuStart = cpuProbe.start();
  const t0 = performance.now();
  const { job_id: jobId } = await client.uploadFile(source, {
    targetResolutions: LABELS,
    enableHls: true,
    enableTranscription,
  });
  onJob(jobId);
  const uploadS = (performance.now() - t0) / 1000;
  let timer: NodeJS.Timeout | undefined;
  const job: JobView = await Promise.race([
    client.waitForJob(jobId),
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`job ${jobId} did not finish in ${JOB_TIMEOUT_MS / 60_000} min`)),
        JOB_TIMEOUT_MS,
      );
    }),
  ]).finally(() => clearTimeout(timer));
  const endToEndS = (performance.now() - t0) / 1000;
  const { here: transcodedHere, cpuS: transcoderChildCpuS } = cpuProbe.stop(cpuStart, jobId);
  if (job.status !== 'completed')
    throw new Error(`job ${jobId} ${job.status}: ${job.error?.code} ${job.error?.message}`);

  // The same outputs as the baseline (plus HLS and, when on, the transcript).
  const has = (kind: string, label?: string): boolean =>
    job.outputs.some((o) => o.kind === kind && (label === undefined || o.label === label));
  const thumbnails = job.outputs.filter((o) => o.kind === 'thumbnail').length;
  const missing = [
    ...LABELS.filter((l) => !has('rendition', l)),
    ...(has('audio') ? [] : ['mp3']),
    ...(thumbnails === 5 ? [] : [`5 thumbnails (got ${thumbnails})`]),
    ...(has('hls', 'master') ? [] : ['HLS master']),
    ...(enableTranscription && !has('transcript') ? ['transcript'] : []),
  ];
  if (missing.length) throw new Error(`job ${jobId} completed without ${missing.join(', ')}`);

  const timeline = job.timeline as TimelineEntry[];
  const stages = Object.fromEntries(
    ['validate', 'transcode', 'package', 'transcribe'].map((s) => [
      s,
      stageSeconds(timeline.find((e) => e.stage === s)),
    ]),
  );
  return { jobId, uploadS, endToEndS, stages, transcoderChildCpuS, transcodedHere };
}

/** The services went away under the job (stopped by a test run, restarted): its times mean nothing, it is run again. */
const servicesWentAway = (e: unknown): boolean =>
  /ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET|other side closed|did not finish/.test(
    `${(e as { code?: string }).code ?? ''} ${String(e)}`,
  );

const s = (x: number | null | undefined, d = 1): string =>
  x === null || x === undefined || Number.isNaN(x) ? '–' : x.toFixed(d);

async function main(): Promise<void> {
  await servicesReady(WAIT_MIN);
  const client = new TranscodeFlowClient({ apiKey: localApiKey() });
  const benchStart = new Date();
  const cpuProbe = new TranscoderCpuProbe();
  const loadAtStart = loadAverages();

  const work = mkdtempSync(path.join(tmpdir(), 'tf-bench-pipeline-'));
  try {
    const source = makeSource({ seconds: SOURCE_S, audio: 'speech' });
    const info = await probeMedia(source);
    console.log(
      `source ${source}: ${info.width}x${info.height}, ${info.duration_s} s, audio ${info.audio_codec ?? 'none'}`,
    );

    const cpu = makeCpuTimingWrapper(work);
    process.env.FFMPEG_PATH = cpu.wrapper; // only this process's ffmpeg: the services run their own
    const baseline = { wall: [] as number[], cpu: [] as number[] };
    const pipeline: Record<string, PipelineRun[]> = { off: [], on: [] };
    const loads: string[] = [];
    const discarded: string[] = [];

    for (let run = 1; run <= RUNS; run++) {
      // Interleaved, so a burst of load elsewhere on the machine hits every variant alike.
      const out = path.join(work, `baseline-${run}`);
      mkdirSync(out);
      cpu.reset();
      const wall = await timed(() => runFfmpeg([...QUIET, ...baselineArgs(source, out, SOURCE_S)]));
      const files = readdirSync(out).sort();
      if (JSON.stringify(files) !== JSON.stringify(BASELINE_OUTPUTS))
        throw new Error(`baseline wrote ${files.join(', ')}`);
      rmSync(out, { recursive: true, force: true });
      baseline.wall.push(wall);
      baseline.cpu.push(cpu.total());
      console.log(
        `run ${run} baseline: wall ${wall.toFixed(1)} s, cpu ${cpu.total().toFixed(1)} s (load ${loadAverages()})`,
      );

      for (const v of VARIANTS) {
        let r: PipelineRun | undefined;
        for (let attempt = 1; !r; attempt++) {
          await servicesReady(WAIT_MIN);
          let jobId: string | undefined;
          try {
            r = await runPipeline(client, cpuProbe, source, v.enableTranscription, (id) => (jobId = id));
          } catch (error) {
            if (attempt >= ATTEMPTS || !servicesWentAway(error)) throw error;
            discarded.push(`${v.key}: ${String(error).slice(0, 120)}`);
            console.log(
              `run ${run} ${v.name}: the services went away (${String(error).slice(0, 120)}); running it again`,
            );
            if (jobId) {
              // Else it would resume beside the next attempt once the services are back.
              await servicesReady(WAIT_MIN);
              await cancelJob(jobId);
            }
          }
        }
        pipeline[v.key].push(r);
        console.log(
          `run ${run} ${v.name}: job ${r.jobId}, upload ${s(r.uploadS)} s, validate ${s(r.stages.validate)} s, ` +
            `transcode ${s(r.stages.transcode)} s (${r.transcodedHere === false ? 'by another transcoder' : `ffmpeg cpu ${s(r.transcoderChildCpuS)} s`}), package ${s(r.stages.package)} s, ` +
            `transcribe ${s(r.stages.transcribe)} s, end-to-end ${s(r.endToEndS)} s (load ${loadAverages()})`,
        );
      }
      loads.push(loadAverages().split(' / ')[0]);
    }

    const mine = new Set(Object.values(pipeline).flatMap((rs) => rs.map((r) => r.jobId)));
    const othersDuring = (await listJobs({ created_after: benchStart.toISOString() })).filter(
      (j) => !mine.has(j.job_id),
    ).length;
    const base = { wall: median(baseline.wall), cpu: median(baseline.cpu) };
    const med = (key: string, pick: (r: PipelineRun) => number | null): number =>
      median(pipeline[key].map(pick).filter((x): x is number => x !== null));
    const rows = VARIANTS.map((v) => ({
      v,
      transcode: med(v.key, (r) => r.stages.transcode),
      e2e: med(v.key, (r) => r.endToEndS),
      upload: med(v.key, (r) => r.uploadS),
      stage: (st: string) => med(v.key, (r) => r.stages[st]),
      cpu: med(v.key, (r) => r.transcoderChildCpuS),
      counted: pipeline[v.key].filter((r) => r.transcoderChildCpuS !== null).length,
    }));
    const [off, on] = rows;
    const all = Object.values(pipeline).flat();
    const elsewhere = all.filter((r) => r.transcodedHere === false).length;
    const unknown = all.filter((r) => r.transcodedHere === null).length;
    const where = (r: PipelineRun): string =>
      r.transcodedHere === null ? '?' : r.transcodedHere ? 'services.sh' : 'other';
    const raw = (key: string, pick: (r: PipelineRun) => number | null): string =>
      pipeline[key].map((r) => s(pick(r))).join(', ');

    const section = [
      '## Pipeline',
      '',
      `\`node -r @swc-node/register bench/pipeline.bench.ts --runs ${RUNS}\`: a generated 1920x1080 30 fps, ${SOURCE_S} s H.264/AAC clip with`,
      `espeak-ng speech, uploaded through @tf/client to the six services running locally (\`bash scripts/services.sh up\`) with`,
      `target 360p,720p and HLS on, against the hand-written command that makes the transcoder's outputs (360p + 720p MP4, MP3,`,
      `5 thumbnails; \`bench/lib/hand-written-ffmpeg.ts\`, the Transcoder section's baseline). Medians of ${RUNS} interleaved runs`,
      `(baseline, pipeline without transcription, pipeline with transcription) on ${coreCount()} cores, ${ffmpegVersion()}.`,
      "The transcoder's time is the `transcode` stage of the job's timeline (VideoValidated -> RenditionsReady: download of the",
      'source, the one ffmpeg pass, probes, upload of the outputs); end-to-end is from the start of the upload to `completed`,',
      'on the client.',
      '',
      `**The machine was shared: load average ${loadAtStart} (1/5/15 min) at the start, ${loadAverages()} at the end`,
      `(1 min, after each run: ${loads.join(', ')}), on ${coreCount()} cores; ${othersDuring} other job(s) visible to this API key were`,
      `submitted to the same services during the run.** Wall times under such load say as much about the neighbours as about`,
      `the pipeline; the CPU column is less sensitive to it. Integration test runs stop the services, so each job waited for`,
      `them to end${discarded.length ? `, and ${discarded.length} job(s) cut short by a stop were discarded and run again` : ''}.`,
      elsewhere
        ? `${elsewhere} of ${RUNS * VARIANTS.length} jobs were transcoded by a transcoder replica that scripts/services.sh did not start (another checkout's or test's, in the same Kafka consumer group); their transcode times are that replica's.`
        : `Every job was transcoded by the transcoder of scripts/services.sh${unknown ? ` as far as its log tells (${unknown} unknown)` : ''}.`,
      '',
      '| variant | transcoder wall (s) | end-to-end wall (s) | ffmpeg CPU (s) | transcoder / baseline | pipeline / baseline |',
      '| --- | --- | --- | --- | --- | --- |',
      `| baseline (one hand-written command) | ${s(base.wall)} | ${s(base.wall)} | ${s(base.cpu)} | 1 | 1 |`,
      ...rows.map(
        (r) =>
          `| ${r.v.name} | ${s(r.transcode)} | ${s(r.e2e)} | ${s(r.cpu)} | **${s(r.transcode / base.wall, 2)}** | **${s(r.e2e / base.wall, 2)}** |`,
      ),
      '',
      `**transcoder / baseline = ${s(on.transcode / base.wall, 2)}** with transcription on (the default), ${s(off.transcode / base.wall, 2)} without; ` +
        `**pipeline / baseline = ${s(on.e2e / base.wall, 2)}** with transcription on, ${s(off.e2e / base.wall, 2)} without (wall times, medians).`,
      '',
      `ffmpeg CPU of a pipeline job is the CPU of the transcoder's ffmpeg and ffprobe children (/proc cutime + cstime of the`,
      `transcoder process), counted only for jobs during which that transcoder ran nothing else ` +
        `(${rows.map((r) => `${r.counted} of ${RUNS} runs ${r.v.key === 'on' ? 'with' : 'without'} transcription`).join(', ')}); ` +
        `against the baseline's: ${s(on.cpu / base.cpu, 2)} (transcription on), ${s(off.cpu / base.cpu, 2)} (off).`,
      '',
      "Stages (medians, s; timeline except upload, which is the client's request time):",
      '',
      '| variant | upload | validate | transcode | package | transcribe | end-to-end |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...rows.map(
        (r) =>
          `| ${r.v.name} | ${s(r.upload)} | ${s(r.stage('validate'))} | ${s(r.stage('transcode'))} | ${s(r.stage('package'))} | ${s(r.stage('transcribe'))} | ${s(r.e2e)} |`,
      ),
      '',
      "The baseline writes no HLS and no transcript: the pipeline's extra time is the upload, validation, the hops between",
      'services, the HLS packaging and, when on, Whisper, which shares the 2 cores with the transcoder (it starts on',
      'VideoValidated, in parallel with the transcode).',
      '',
      `Raw (s): baseline wall ${baseline.wall.map((x) => s(x)).join(', ')}, CPU ${baseline.cpu.map((x) => s(x)).join(', ')}; ` +
        VARIANTS.map(
          (v) =>
            `transcription ${v.key}: transcoder ${raw(v.key, (r) => r.stages.transcode)}, end-to-end ${raw(v.key, (r) => r.endToEndS)}, ffmpeg CPU ${raw(v.key, (r) => r.transcoderChildCpuS)}, transcoder ${pipeline[v.key].map(where).join(', ')}`,
        ).join('; ') +
        '.',
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
