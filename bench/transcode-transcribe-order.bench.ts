// The transcoder and the transcriber of one job compete for the same cores on a small machine: does running them
// one after the other finish the job sooner than running them side by side (today's event chain: both start on
// VideoValidated)? One job here = the transcoder's one ffmpeg pass (the hand-written command with the builders'
// settings: 360p + 720p, MP3, 5 thumbnails) and the transcriber's audio extraction + Whisper (the worker started
// beforehand, as the app does at start-up, with the default TF_WHISPER_* settings), on a 1080p source with speech.
// Variants interleaved run by run, so that the machine's load weighs on both alike.
//
//   node -r @swc-node/register bench/transcode-transcribe-order.bench.ts [--runs 2] [--seconds 60]
//
// Run under `flock /tmp/tf-bench.lock`. Needs .stack/venv, ffmpeg, espeak-ng.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { WhisperWorker, extractSpeechAudio, whisperSettingsFromEnv } from '@tf/transcription';
import { QUIET, baselineArgs, makeSource } from './lib/hand-written-ffmpeg';
import { coreCount, loadAverages, median } from './lib/measure';

const args = process.argv.slice(2);
const value = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(args[i + 1]);
};
const RUNS = value('runs', 2);
const SECONDS = value('seconds', 60);

const ffmpeg = (argv: string[]): Promise<void> =>
  new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', [...QUIET, ...argv], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}`))));
  });

interface Timing {
  /** Seconds from the job's start until the renditions, the transcript, and both are ready. */
  renditionsS: number;
  transcriptS: number;
  jobS: number;
}

async function runJob(order: 'parallel' | 'sequential', source: string, worker: WhisperWorker): Promise<Timing> {
  const dir = mkdtempSync(path.join(tmpdir(), `tf-bench-order-${order}-`));
  const t0 = performance.now();
  const since = (): number => (performance.now() - t0) / 1000;
  try {
    const transcode = async (): Promise<number> => {
      await ffmpeg(baselineArgs(source, dir, SECONDS));
      return since();
    };
    const transcribe = async (): Promise<number> => {
      const { path: wav } = await extractSpeechAudio(source, path.join(dir, 'speech.wav'), { durationS: SECONDS });
      await worker.transcribe(wav, { language: null });
      return since();
    };
    let renditionsS: number;
    let transcriptS: number;
    if (order === 'parallel') [renditionsS, transcriptS] = await Promise.all([transcode(), transcribe()]);
    else {
      renditionsS = await transcode();
      transcriptS = await transcribe();
    }
    return { renditionsS, transcriptS, jobS: since() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const source = makeSource({ seconds: SECONDS, audio: 'speech' });
  const settings = whisperSettingsFromEnv();
  const worker = new WhisperWorker({ ...settings, onLog: () => undefined });
  await worker.start();
  const loadBefore = loadAverages();
  const results: Record<'parallel' | 'sequential', Timing[]> = { parallel: [], sequential: [] };
  try {
    for (let run = 0; run < RUNS; run++) {
      const orders = run % 2 === 0 ? (['parallel', 'sequential'] as const) : (['sequential', 'parallel'] as const);
      for (const order of orders) {
        const t = await runJob(order, source, worker);
        results[order].push(t);
        console.error(`  run ${run + 1} ${order}: ${JSON.stringify(t)} (load ${loadAverages()})`);
      }
    }
  } finally {
    await worker.stop();
  }
  const m = (order: 'parallel' | 'sequential', key: keyof Timing): number => median(results[order].map((t) => t[key]));
  const row = (order: 'parallel' | 'sequential'): string =>
    `| ${order === 'parallel' ? 'side by side (today)' : 'transcoder, then transcriber'} | ${m(order, 'renditionsS').toFixed(1)} | ${m(order, 'transcriptS').toFixed(1)} | ${m(order, 'jobS').toFixed(1)} |`;
  console.log(
    [
      `${SECONDS} s 1080p30 source with speech; ${RUNS} run(s) per order, interleaved; Whisper ${settings.model}, beam ${settings.beamSize}, ` +
        `${settings.threads} threads; ${coreCount()} cores; load average before ${loadBefore}, after ${loadAverages()}.`,
      '',
      '| order | renditions ready (s) | transcript ready (s) | both ready (s) |',
      '| --- | --- | --- | --- |',
      row('parallel'),
      row('sequential'),
      '',
      `**sequential / side by side = ${(m('sequential', 'jobS') / m('parallel', 'jobS')).toFixed(2)}** (time until both are ready, medians); ` +
        `renditions ready ${(m('sequential', 'renditionsS') / m('parallel', 'renditionsS')).toFixed(2)}×.`,
      '',
      `Raw: ${JSON.stringify(results)}`,
    ].join('\n'),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
