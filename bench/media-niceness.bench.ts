// Media niceness: how long a small Node HTTP service (standing for a service's event loop: its Kafka handlers,
// heartbeats and /health) takes to answer while an encode runs through the product's runner (libs/media
// runMediaTool, prlimit + nice), with TF_MEDIA_NICE 0 against the default 10. autocannon at a fixed rate; the runs
// alternate (0, 10, 0, 10, ...) so that drift in the machine's load falls on both.
//
//   node -r @swc-node/register bench/media-niceness.bench.ts [--rounds 2] [--seconds 8] [--write-readme]
//
// --write-readme replaces the "## Media niceness" section of bench/README.md.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import autocannon from 'autocannon';
import { mediaBudget, runMediaTool } from '@tf/media';
import { cliOptions, coreCount, loadAverages, median, runBench } from './lib/measure';
import { writeReadmeSection } from './lib/readme-section';

const cli = cliOptions();
const ROUNDS = Number(cli.option('rounds', '2'));
const SECONDS = Number(cli.option('seconds', '8'));
const RATE = 200;
const PORT = 19_999;
const NICE_LEVELS = [0, 10] as const;

/** A bare server doing a little work per request, in its own process (as a service is). */
const SERVER = `require('http').createServer((q, s) => { let x = 0; for (let i = 0; i < 20000; i++) x += i; s.end(String(x)); }).listen(${PORT}, '127.0.0.1', () => console.log('up'));`;

/** A 1080p x264 encode using every core, longer than one measurement; aborted when it is over. */
const ENCODE = ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=30', '-t', '120'];
const ENCODE_OUT = ['-c:v', 'libx264', '-preset', 'veryfast', '-threads', String(coreCount() * 2), '-f', 'null', '-'];

interface Latency {
  p50: number;
  p99: number;
  max: number;
}

async function measure(niceness: number): Promise<Latency> {
  const stop = new AbortController();
  const encode = runMediaTool('ffmpeg', [...ENCODE, ...ENCODE_OUT], {
    budget: { ...mediaBudget('encode', 120), niceness },
    signal: stop.signal,
    killGraceMs: 1000,
  }).catch(() => undefined);
  await new Promise((r) => setTimeout(r, 2000));
  const latencies: number[] = [];
  const instance = autocannon({
    url: `http://127.0.0.1:${PORT}/`,
    connections: 5,
    overallRate: RATE,
    duration: SECONDS,
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.push(ms));
  await new Promise((resolve, reject) => {
    instance.on('done', resolve);
    instance.on('error', reject);
  });
  stop.abort();
  await encode;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)];
  return { p50: at(0.5), p99: at(0.99), max: latencies.at(-1) ?? NaN };
}

const ms = (x: number): string => x.toFixed(1);

async function main(): Promise<void> {
  const server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(server.stdout, 'data');
  const loadBefore = loadAverages();
  const runs = new Map<number, Latency[]>(NICE_LEVELS.map((n) => [n, []]));
  try {
    for (let round = 0; round < ROUNDS; round++)
      for (const niceness of NICE_LEVELS) {
        const latency = await measure(niceness);
        runs.get(niceness)!.push(latency);
        console.log(`nice ${niceness}: p50 ${ms(latency.p50)}, p99 ${ms(latency.p99)}, max ${ms(latency.max)} ms`);
      }
  } finally {
    server.kill();
  }
  const row = (n: number) => {
    const r = runs.get(n)!;
    return { p50: median(r.map((x) => x.p50)), p99: median(r.map((x) => x.p99)), max: median(r.map((x) => x.max)) };
  };
  const [plain, nice] = NICE_LEVELS.map(row);
  const section = [
    '## Media niceness',
    '',
    `\`node -r @swc-node/register bench/media-niceness.bench.ts --rounds ${ROUNDS} --seconds ${SECONDS}\` (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC):`,
    `a bare Node HTTP server in its own process (20k additions per request, standing for a service's event loop) under`,
    `autocannon at ${RATE} req/s, 5 connections, ${SECONDS} s, while a 1080p x264 encode (veryfast, ${coreCount() * 2} threads) runs through`,
    `the product's runner (\`runMediaTool\`: prlimit, then nice) at TF_MEDIA_NICE 0 and at the default 10, alternating, ${ROUNDS}`,
    `round(s); medians over the rounds. ${coreCount()} cores, load average ${loadBefore} before, ${loadAverages()} after.`,
    '',
    '| encode niceness | p50 (ms) | p99 (ms) | max (ms) | p99 / niceness 0 |',
    '| --- | --- | --- | --- | --- |',
    `| 0 | ${ms(plain.p50)} | ${ms(plain.p99)} | ${ms(plain.max)} | 1 |`,
    `| 10 (default) | ${ms(nice.p50)} | ${ms(nice.p99)} | ${ms(nice.max)} | ${(nice.p99 / plain.p99).toFixed(2)} |`,
    '',
    'The Whisper worker starts at TF_WHISPER_NICE (default 10) for the same reason. What it costs the encode is not',
    'measured here (the encode is stopped after each measurement): niceness orders who runs first, so an encode loses',
    'nothing on a machine with nothing else to run, and on a shared host (scripts/services.sh runs Kafka, Postgres and',
    'S3 beside it) it yields to them, which lengthens its wall time within its budget (MEDIA_TIMEOUT: 120 s + 8 s per',
    'second of media).',
  ].join('\n');
  console.log(`\n${section}\n`);
  if (cli.flag('write-readme')) writeReadmeSection(section);
}

runBench(main);
