#!/usr/bin/env node
// Transcriber bench: 60 s of espeak-ng speech through the real Whisper worker (libs/transcription/python/whisper_worker.py).
// Reports model load time and per-job time / real-time factor (job time / audio duration) separately, for beam 1 and 5.
//
//   node bench/transcribe.bench.mjs [--runs 3] [--threads 2] [--beams 1,5]
//
// Needs .stack/venv (pip install -r libs/transcription/python/requirements.txt) or TF_WHISPER_PYTHON, ffmpeg, espeak-ng.
// It talks the worker's JSON-lines protocol directly (no TS runner in the repo); @tf/transcription's WhisperWorker
// adds only queueing and process supervision on top of the same protocol.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const RUNS = Number(args.runs ?? 3);
const THREADS = Number(args.threads ?? 2);
const BEAMS = String(args.beams ?? '1,5').split(',').map(Number);
const AUDIO_S = 60;
const python = process.env.TF_WHISPER_PYTHON
  ? path.resolve(root, process.env.TF_WHISPER_PYTHON)
  : path.join(root, '.stack', 'venv', 'bin', 'python');
const script = path.join(root, 'libs', 'transcription', 'python', 'whisper_worker.py');

const TEXT = [
  'Welcome to the weekly engineering update.',
  'This week the team finished the new upload service, which accepts large video files and stores them safely.',
  'Every uploaded video is checked first, then transcoded into several renditions for phones, tablets and television screens.',
  'After that the packaging step writes adaptive streaming playlists, so viewers get the best quality their connection allows.',
  'In parallel, a speech recognition model listens to the soundtrack and writes captions in several formats.',
  'The captions are attached to the stream as a subtitle track, and a plain text transcript is stored next to it.',
  'We also measured how long each step takes on a small machine with two processor cores and no graphics card.',
  'The results were better than expected, and the whole pipeline keeps up with the rate of new uploads.',
  'Next week we will improve the monitoring dashboards and add alerts for failed jobs.',
  'Thank you all for your hard work, and please send your questions to the team channel.',
].join(' ');

// --- word error rate (same normalization as @tf/transcription's wordErrorRate) ---
const words = (t) =>
  t.normalize('NFKC').toLowerCase().replace(/[\u2010-\u2015-]/g, ' ').replace(/[^\p{L}\p{N}\s]/gu, '').split(/\s+/).filter(Boolean);
function wer(ref, hyp) {
  const r = words(ref);
  const h = words(hyp);
  let prev = Array.from({ length: h.length + 1 }, (_, j) => j);
  for (let i = 1; i <= r.length; i++) {
    const cur = [i];
    for (let j = 1; j <= h.length; j++) cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r[i - 1] === h[j - 1] ? 0 : 1)));
    prev = cur;
  }
  return r.length ? prev[h.length] / r.length : 0;
}

function makeAudio(dir) {
  const raw = path.join(dir, 'speech-raw.wav');
  const out = path.join(dir, 'speech-60s.wav');
  // espeak-ng at 165 wpm says TEXT in a little under 60 s; pad with silence to exactly 60 s.
  execFileSync('espeak-ng', ['-v', 'en-us', '-s', '165', '-w', raw, TEXT]);
  const speech = Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', raw]).toString());
  execFileSync('ffmpeg', ['-nostdin', '-loglevel', 'error', '-y', '-i', raw, '-af', `apad=whole_dur=${AUDIO_S}`, '-t', String(AUDIO_S), '-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', out]);
  return { path: out, speechS: speech };
}

function startWorker(beam) {
  const t0 = performance.now();
  const child = spawn(python, [script], {
    env: { ...process.env, HF_HUB_OFFLINE: '1', TF_WHISPER_THREADS: String(THREADS), TF_WHISPER_BEAM_SIZE: String(beam) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let buf = '';
  const waiting = [];
  child.stdout.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (line.trim()) waiting.shift()?.(JSON.parse(line));
    }
  });
  const next = () => new Promise((resolve) => waiting.push(resolve));
  const ready = next().then((msg) => {
    if (msg.type !== 'ready') throw new Error(`worker did not start: ${JSON.stringify(msg)}`);
    return { ...msg, spawnToReadyS: (performance.now() - t0) / 1000 };
  });
  let id = 0;
  return {
    ready,
    async transcribe(audioPath) {
      const t = performance.now();
      const answer = next();
      child.stdin.write(JSON.stringify({ id: ++id, audio_path: audioPath, language: null }) + '\n');
      const msg = await answer;
      if (!msg.ok) throw new Error(msg.error);
      return { ...msg, wallS: (performance.now() - t) / 1000 };
    },
    stop() {
      child.stdin.end();
      return new Promise((r) => child.on('close', r));
    },
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f = (x, d = 2) => x.toFixed(d);

const dir = mkdtempSync(path.join(tmpdir(), 'tf-bench-transcribe-'));
try {
  const audio = makeAudio(dir);
  console.log(`audio: ${AUDIO_S} s WAV (${f(audio.speechS, 1)} s of espeak-ng speech), threads=${THREADS}, runs=${RUNS}, int8, CPU (${execFileSync('nproc').toString().trim()} cores)`);
  const rows = [];
  for (const beam of BEAMS) {
    const w = startWorker(beam);
    const info = await w.ready;
    const jobs = [];
    for (let i = 0; i < RUNS; i++) jobs.push(await w.transcribe(audio.path));
    await w.stop();
    const text = jobs[0].segments.map((s) => s.text).join(' ');
    const row = {
      beam,
      model: info.model,
      loadS: info.load_seconds,
      spawnToReadyS: info.spawnToReadyS,
      firstJobS: jobs[0].wallS,
      medianJobS: median(jobs.map((j) => j.wallS)),
      rtf: median(jobs.map((j) => j.wallS)) / jobs[0].duration_s,
      medianCpuS: median(jobs.map((j) => j.cpu_s)),
      cpuPerAudioS: median(jobs.map((j) => j.cpu_s)) / jobs[0].duration_s,
      wer: wer(TEXT, text),
      language: jobs[0].language,
      segments: jobs[0].segments.length,
    };
    rows.push(row);
    console.log(`beam ${beam}: ${JSON.stringify(row)}`);
  }
  console.log(`\nload average after the run: ${loadavg().map((x) => f(x)).join(' ')} (other work on the machine inflates wall times, not CPU seconds)`);
  console.log('\n| beam | model load (s) | spawn→ready (s) | first job (s) | median job (s) | RTF (median job / 60 s) | CPU s per job | CPU s per audio s | WER | language |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    console.log(
      `| ${r.beam} | ${f(r.loadS)} | ${f(r.spawnToReadyS)} | ${f(r.firstJobS)} | ${f(r.medianJobS)} | ${f(r.rtf, 3)} | ${f(r.medianCpuS, 1)} | ${f(r.cpuPerAudioS, 3)} | ${f(r.wer * 100, 1)}% | ${r.language} |`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
