// Transcriber bench: 60 s of espeak-ng speech through @tf/transcription's WhisperWorker (the client the
// transcriber app uses) and the real Python worker. Model load and per-job time are reported separately,
// with the real-time factor (job time / audio duration), CPU seconds and WER, for each beam size.
//
//   node -r @swc-node/register bench/transcribe.bench.ts [--runs 3] [--threads 2] [--beams 1,5]
//
// Needs .stack/venv (pip install -r libs/transcription/python/requirements.txt) or TF_WHISPER_PYTHON, ffmpeg, espeak-ng.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type TranscriptResult, WhisperWorker, extractSpeechAudio, toTxt, wordErrors } from '@tf/transcription';
import { LONG_READ, durationS, synthesizeSpeech, voice } from './lib/synthetic-speech';

const args = new Map<string, string>();
process.argv.slice(2).forEach((a, i, all) => a.startsWith('--') && args.set(a.slice(2), all[i + 1]));
const RUNS = Number(args.get('runs') ?? 3);
const THREADS = Number(args.get('threads') ?? 2);
const BEAMS = (args.get('beams') ?? '1,5').split(',').map(Number);
const AUDIO_S = 60;

/** What the soundtrack says: the WER reference. */
const TEXT = LONG_READ;

const sh = (cmd: string, argv: string[]): string =>
  execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] })
    .toString()
    .trim();
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f = (x: number, d = 2): string => x.toFixed(d);

/** espeak-ng at 165 wpm says TEXT in a little under 60 s; padded with silence to exactly 60 s, as AAC (like a soundtrack). */
function makeSoundtrack(dir: string): { m4a: string; speechS: number } {
  const raw = path.join(dir, 'speech-raw.wav');
  const m4a = path.join(dir, 'speech-60s.m4a');
  synthesizeSpeech(voice('espeak-ng', 'en-us', 165), TEXT, raw);
  sh('ffmpeg', [
    '-nostdin',
    '-loglevel',
    'error',
    '-y',
    '-i',
    raw,
    '-af',
    `apad=whole_dur=${AUDIO_S},aresample=48000`,
    '-t',
    String(AUDIO_S),
    '-ac',
    '2',
    '-c:a',
    'aac',
    '-b:a',
    '128k',
    m4a,
  ]);
  return { m4a, speechS: durationS(raw) };
}

interface Row {
  beam: number;
  model: string;
  loadS: number;
  spawnToReadyS: number;
  firstJobS: number;
  medianJobS: number;
  rtf: number;
  medianCpuS: number;
  cpuPerAudioS: number;
  wer: number;
  errors: string;
  language: string;
  segments: number;
}

async function benchBeam(beam: number, wav: string): Promise<Row> {
  const worker = new WhisperWorker({
    threads: THREADS,
    beamSize: beam,
    onLog: (line) => process.stderr.write(`  ${line}\n`),
  });
  try {
    const t0 = performance.now();
    const info = await worker.start();
    const spawnToReadyS = (performance.now() - t0) / 1000;
    const jobs: { wallS: number; result: TranscriptResult }[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      const result = await worker.transcribe(wav, { language: null });
      jobs.push({ wallS: (performance.now() - t) / 1000, result });
    }
    const first = jobs[0].result;
    const errors = wordErrors(TEXT, toTxt(first.segments, { durationS: first.duration_s }));
    const medianJobS = median(jobs.map((j) => j.wallS));
    const medianCpuS = median(jobs.map((j) => j.result.cpu_s));
    return {
      beam,
      model: info.model,
      loadS: info.load_seconds,
      spawnToReadyS,
      firstJobS: jobs[0].wallS,
      medianJobS,
      rtf: medianJobS / first.duration_s,
      medianCpuS,
      cpuPerAudioS: medianCpuS / first.duration_s,
      wer: errors.wer,
      errors: `S=${errors.substitutions} D=${errors.deletions} I=${errors.insertions} of ${errors.referenceWords}`,
      language: `${first.language} p=${f(first.language_probability)}`,
      segments: first.segments.length,
    };
  } finally {
    await worker.stop();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tf-bench-transcribe-'));
  try {
    const { m4a, speechS } = makeSoundtrack(dir);
    const t = performance.now();
    const { path: wav } = await extractSpeechAudio(m4a, path.join(dir, 'speech-60s.wav'));
    const extractS = (performance.now() - t) / 1000;
    console.log(
      `audio: ${AUDIO_S} s AAC soundtrack (${f(speechS, 1)} s of espeak-ng speech, ${TEXT.split(/\s+/).length} words) → 16 kHz mono WAV (${f(durationS(wav), 2)} s) ` +
        `by extractSpeechAudio in ${f(extractS)} s; threads=${THREADS}, runs=${RUNS}, int8, CPU (${cpus().length} cores); load average before: ${loadavg()
          .map((x) => f(x))
          .join(' ')}`,
    );
    const rows: Row[] = [];
    for (const beam of BEAMS) {
      const row = await benchBeam(beam, wav);
      rows.push(row);
      console.log(`beam ${beam}: ${JSON.stringify(row)}`);
    }
    console.log(
      `\nload average after the run: ${loadavg()
        .map((x) => f(x))
        .join(' ')} (other work on the machine inflates wall times, not CPU seconds)`,
    );
    console.log(
      '\n| beam | model load (s) | start() → ready (s) | first job (s) | median job (s) | RTF (median job / 60 s) | CPU s per job | CPU s per audio s | WER | language |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const r of rows) {
      console.log(
        `| ${r.beam} | ${f(r.loadS)} | ${f(r.spawnToReadyS)} | ${f(r.firstJobS)} | ${f(r.medianJobS)} | ${f(r.rtf, 3)} | ${f(r.medianCpuS, 1)} | ${f(r.cpuPerAudioS, 3)} | ${f(r.wer * 100, 1)}% (${r.errors}) | ${r.language} |`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
