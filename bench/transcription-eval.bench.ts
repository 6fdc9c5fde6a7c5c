// Transcription accuracy and speed per decoding setting, on the evaluation set of bench/transcription-eval/
// (synthetic voices and rates, short sentences and long reads, over tone / noise / music beds at several SNRs).
// One long-lived Python worker per model (the client the transcriber app uses); every clip is decoded with every
// setting before the next clip (interleaved), so that the machine's load weighs on all settings alike.
// WER = (S + D + I) / N summed over the clips of a condition (not the mean of the clips' WERs);
// RTF = the worker's wall seconds / seconds of audio.
//
//   node -r @swc-node/register bench/transcription-eval.bench.ts [--full] [--settings id,id] [--no-small]
//        [--threads 2] [--write-readme]
//
// Reduced set by default (13 clips, ≈ 3.4 min of audio per setting; the 6 default base settings take ≈ 5 min on
// 2 quiet cores, ≈ 30 min at a load average of 12); --full: 92 clips, ≈ 28 min of audio per setting;
// --settings b1-en,... picks settings (all ids: the SETTINGS list). Run under `flock /tmp/tf-bench.lock`.
// Needs .stack/venv, ffmpeg, espeak-ng and flite (scripts/stack.sh installs them).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  type TranscribeOptions,
  type TranscriptResult,
  WhisperWorker,
  type WordErrors,
  sumWordErrors,
  toTxt,
  wordErrors,
} from '@tf/transcription';
import { writeReadmeSection } from './lib/readme-section';
import { coreCount, loadAverages } from './lib/measure';
import { type EvalClip, renderEvalSet } from './transcription-eval/eval-set';

interface Setting {
  id: string;
  /** Measured without --settings (the others on request: the reduced run stays affordable on 2 shared cores). */
  byDefault: boolean;
  label: string;
  model: 'base' | 'small';
  options: Omit<TranscribeOptions, 'timeoutMs'>;
}

/** Every option is spelled out per request, so that the worker's own defaults never decide a row. */
const SETTINGS: Setting[] = [
  {
    id: 'b1',
    byDefault: true,
    label: 'base, beam 1, language detected, VAD, word timestamps (the old default)',
    model: 'base',
    options: { beamSize: 1, language: null, vad: true, wordTimestamps: true, batchSize: 0 },
  },
  {
    id: 'b1-en',
    byDefault: false,
    label: 'base, beam 1, language passed',
    model: 'base',
    options: { beamSize: 1, language: 'en', vad: true, wordTimestamps: true, batchSize: 0 },
  },
  {
    id: 'b5',
    byDefault: true,
    label: 'base, beam 5, language detected',
    model: 'base',
    options: { beamSize: 5, language: null, vad: true, wordTimestamps: true, batchSize: 0 },
  },
  {
    id: 'b5-en',
    byDefault: true,
    label: 'base, beam 5, language passed',
    model: 'base',
    options: { beamSize: 5, language: 'en', vad: true, wordTimestamps: true, batchSize: 0 },
  },
  {
    id: 'b5-en-novad',
    byDefault: true,
    label: 'base, beam 5, language passed, no VAD',
    model: 'base',
    options: { beamSize: 5, language: 'en', vad: false, wordTimestamps: true, batchSize: 0 },
  },
  {
    id: 'b5-en-nowords',
    byDefault: true,
    label: 'base, beam 5, language passed, no word timestamps',
    model: 'base',
    options: { beamSize: 5, language: 'en', vad: true, wordTimestamps: false, batchSize: 0 },
  },
  {
    id: 'b5-en-batched',
    byDefault: true,
    label: 'base, beam 5, language passed, batched pipeline (batch 8)',
    model: 'base',
    options: { beamSize: 5, language: 'en', vad: true, wordTimestamps: true, batchSize: 8 },
  },
  {
    id: 'small-b5-en',
    byDefault: true,
    label: 'small, beam 5, language passed (TF_WHISPER_MODEL=small)',
    model: 'small',
    options: { beamSize: 5, language: 'en', vad: true, wordTimestamps: true, batchSize: 0 },
  },
];

const args = process.argv.slice(2);
const flag = (name: string): boolean => args.includes(`--${name}`);
const value = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? undefined : args[i + 1];
};
const FULL = flag('full');
const THREADS = Number(value('threads') ?? 2);
const chosen = value('settings')?.split(',');
const settings = SETTINGS.filter((s) =>
  chosen ? chosen.includes(s.id) : s.byDefault && !(flag('no-small') && s.model === 'small'),
);

interface Outcome {
  clip: EvalClip & { path: string };
  result: TranscriptResult;
  errors: WordErrors;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
const f = (x: number, d = 2): string => x.toFixed(d);

async function startWorker(model: Setting['model']): Promise<WhisperWorker | string> {
  const worker = new WhisperWorker({ model, threads: THREADS, onLog: () => undefined });
  try {
    await worker.start();
    return worker;
  } catch (error) {
    await worker.stop();
    return (error as Error).message;
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tf-bench-transcription-eval-'));
  try {
    const loadBefore = loadAverages();
    const clips = renderEvalSet(dir, FULL);
    const workers = new Map<Setting['model'], WhisperWorker | string>();
    for (const model of new Set(settings.map((s) => s.model))) workers.set(model, await startWorker(model));
    const base = workers.get('base');
    if (typeof base === 'string') throw new Error(`the base model's worker did not start: ${base}`);
    // Warm-up (not counted): the first job loads the VAD model and fills caches.
    for (const worker of workers.values())
      if (typeof worker !== 'string') await worker.transcribe(clips[0].path, { language: 'en' });

    const outcomes = new Map<string, Outcome[]>(settings.map((s) => [s.id, []]));
    for (const [i, clip] of clips.entries()) {
      for (const setting of settings) {
        const worker = workers.get(setting.model)!;
        if (typeof worker === 'string') continue;
        const result = await worker.transcribe(clip.path, setting.options);
        const errors = wordErrors(clip.text, toTxt(result.segments, { durationS: result.duration_s }));
        outcomes.get(setting.id)!.push({ clip, result, errors });
      }
      process.stderr.write(`  clip ${i + 1}/${clips.length} ${clip.id} done (load ${loadAverages()})\n`);
    }
    for (const worker of workers.values()) if (typeof worker !== 'string') await worker.stop();
    const loadAfter = loadAverages();

    const conditions = [...new Set(clips.map((c) => c.condition))];
    const ran = settings.filter((s) => outcomes.get(s.id)!.length > 0);
    const header = `| setting | RTF | CPU s / audio s | overall WER | ${conditions.join(' | ')} | worst clip |`;
    const rule = `| ${['---', '---', '---', '---', ...conditions.map(() => '---'), '---'].join(' | ')} |`;
    const rows = ran.map((s) => {
      const list = outcomes.get(s.id)!;
      const audio = list.reduce((n, o) => n + o.result.duration_s, 0);
      const wall = list.reduce((n, o) => n + o.result.elapsed_s, 0);
      const cpu = list.reduce((n, o) => n + o.result.cpu_s, 0);
      const perCondition = conditions.map((c) =>
        pct(sumWordErrors(list.filter((o) => o.clip.condition === c).map((o) => o.errors)).wer),
      );
      const worst = list.reduce((a, b) => (b.errors.wer > a.errors.wer ? b : a));
      return `| ${s.label} | ${f(wall / audio, 3)} | ${f(cpu / audio, 3)} | **${pct(sumWordErrors(list.map((o) => o.errors)).wer)}** | ${perCondition.join(' | ')} | ${pct(worst.errors.wer)} (${worst.clip.id}) |`;
    });
    const byVoice = [...new Set(clips.map((c) => c.voice.id))].map((voice) => {
      const cells = ran.map((s) =>
        pct(
          sumWordErrors(
            outcomes
              .get(s.id)!
              .filter((o) => o.clip.voice.id === voice)
              .map((o) => o.errors),
          ).wer,
        ),
      );
      return `| ${voice} | ${cells.join(' | ')} |`;
    });
    const skipped = settings
      .filter((s) => !ran.includes(s))
      .map((s) => `- ${s.label}: not measured: ${String(workers.get(s.model))}`);
    const totalAudio = outcomes.get(ran[0].id)!.reduce((n, o) => n + o.result.duration_s, 0);
    const collapses = ran.flatMap((s) =>
      outcomes
        .get(s.id)!
        .filter((o) => o.errors.wer > 0.25)
        .map(
          (o) =>
            `- ${s.id} on ${o.clip.id} (${pct(o.errors.wer)}): "${toTxt(o.result.segments).trim().replace(/\n/g, ' ')}"`,
        ),
    );

    const section = [
      '## Transcription evaluation',
      '',
      `\`node -r @swc-node/register bench/transcription-eval.bench.ts${FULL ? ' --full' : ''}\` (${FULL ? 'full' : 'reduced'} set: ${clips.length} clips, ${f(totalAudio / 60, 1)} min of audio per setting; ` +
        `\`--full\` for the full set). The set is bench/transcription-eval/eval-set.ts: espeak-ng (en-us, en-gb-x-rp+f3, ...) and flite ` +
        `(slt, ...) voices at several rates; short single sentences in a 12 s clip and a ≈ 1 min long read; beds of a 440 Hz tone, pink ` +
        `noise or synthesized music at the SNR shown (speech power over bed power). faster-whisper 1.2.1, CPU int8, ${THREADS} threads, ` +
        `one long-lived worker per model, settings interleaved clip by clip. WER sums the errors of a condition's clips over their ` +
        `reference words; RTF is the worker's wall time over the audio's duration (the machine is shared: CPU s per audio s is ` +
        `steadier). ${coreCount()} cores; load average before ${loadBefore}, after ${loadAfter}.`,
      '',
      header,
      rule,
      ...rows,
      '',
      ...(skipped.length ? [...skipped, ''] : []),
      'WER by voice (all beds):',
      '',
      `| voice | ${ran.map((s) => s.id).join(' | ')} |`,
      `| ${['---', ...ran.map(() => '---')].join(' | ')} |`,
      ...byVoice,
      '',
      `Clips above 25 % WER (${collapses.length}):`,
      '',
      ...(collapses.length ? collapses : ['- none']),
      '',
    ].join('\n');
    console.log(`\n${section}`);
    if (flag('write-readme')) writeReadmeSection(section);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
