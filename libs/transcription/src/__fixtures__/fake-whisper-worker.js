#!/usr/bin/env node
// Stand-in for whisper_worker.py in unit tests: same JSON-lines protocol, behaviour chosen by the request.
//   FAKE_START=fatal | exit | silent     startup failure modes
//   audio_path ending in: hang.wav (never answers), crash.wav (exits 3), fail.wav (ok:false), noise.wav (garbage line first)
'use strict';
const readline = require('node:readline');
const send = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const mode = process.env.FAKE_START;
if (mode === 'fatal') {
  send({ type: 'fatal', error: 'Whisper model dir does not exist: /nowhere (TF_WHISPER_MODEL_DIR)' });
  process.exit(2);
}
if (mode === 'exit') {
  process.stderr.write('Traceback: boom\n');
  process.exit(1);
}
if (mode !== 'silent') {
  send({
    type: 'ready',
    model: 'fake-whisper',
    model_dir: '/fake',
    multilingual: true,
    load_seconds: 0.01,
    threads: Number(process.env.TF_WHISPER_THREADS || 2),
    beam_size: Number(process.env.TF_WHISPER_BEAM_SIZE || 1),
    compute_type: process.env.TF_WHISPER_COMPUTE_TYPE || 'int8',
    model_setting: process.env.TF_WHISPER_MODEL,
    vad: process.env.TF_WHISPER_VAD !== '0',
    word_timestamps: process.env.TF_WHISPER_WORD_TIMESTAMPS !== '0',
    batch_size: Number(process.env.TF_WHISPER_BATCH_SIZE || 8),
    batch_min_audio_s: Number(process.env.TF_WHISPER_BATCH_MIN_AUDIO_S || 0),
    pid: process.pid,
    offline: process.env.HF_HUB_OFFLINE,
  });
}
const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const req = JSON.parse(line);
  const p = req.audio_path;
  if (p.endsWith('hang.wav')) return;
  if (p.endsWith('crash.wav')) {
    process.stderr.write('Segmentation fault (fake)\n');
    process.exit(3);
  }
  if (p.endsWith('fail.wav')) return send({ id: req.id, ok: false, error: 'RuntimeError: cannot decode ' + p });
  if (p.endsWith('noise.wav')) process.stdout.write('this is not json\n');
  // write the answer in two chunks to exercise line reassembly
  const answer = JSON.stringify({
    id: req.id,
    ok: true,
    language: req.language || 'en',
    language_probability: 1,
    duration_s: 2,
    speech_s: 2,
    model: 'fake-whisper',
    beam_size: req.beam_size || 1,
    vad: req.vad ?? null,
    word_timestamps: req.word_timestamps ?? null,
    batch_size: req.batch_size ?? null,
    elapsed_s: 0.01,
    cpu_s: 0.01,
    pid: process.pid,
    segments: [{ start: 0, end: 1.5, text: 'héllo ' + p.split('/').pop(), words: [] }],
  });
  const cut = Math.floor(answer.length / 2);
  process.stdout.write(answer.slice(0, cut));
  setTimeout(() => process.stdout.write(answer.slice(cut) + '\n'), 5);
});
