// API bench: autocannon against a gateway started from source on this machine, for
//   baseline  : a bare Node http server answering a small JSON (same machine, same client), and the
//               gateway's GET /health (its cheapest route: one SELECT 1);
//   status    : GET /api/v1/jobs/:id of a completed job (the row, then one presigned URL per output);
//   creation  : POST /api/v1/jobs/upload, multipart with a 1 KiB file (stream to S3, job row +
//               VideoUploaded outbox row + notification in one transaction).
// p50/p95/p99 come from every response's latency (autocannon's own histogram has no p95); each figure is
// also given as a ratio to the bare Node server's. Requests are bounded by count and time.
//
//   node -r @swc-node/register bench/api.bench.ts [--seconds 10] [--connections 10] [--creations 600]
//        [--stop-consumers] [--write-readme]
//
// --stop-consumers stops validator, transcoder, hls, transcriber and notifier (scripts/services.sh's pid
// files) for the run and starts them again after (`scripts/services.sh restart <app>`), so that the
// pipeline does not compete for the CPU; the jobs created meanwhile are then failed by the validator
// (a 1 KiB file is no video). The bench's own gateway has its own key and a rate limit high enough not
// to answer 429. --write-readme replaces the "## API" section of bench/README.md.
import autocannon from 'autocannon';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { request } from 'undici';
import { TranscodeFlowClient } from '@tf/client';
import { cpus, loadavg } from 'node:os';
import { writeReadmeSection } from './lib/readme-section';

const root = path.resolve(__dirname, '..');
/** Where scripts/services.sh and its pid files are (another checkout's, when the services run from there). */
const servicesRoot = process.env.TF_SERVICES_ROOT ?? root;
const argv = process.argv.slice(2);
const cli = {
  option: (name: string, fallback: string): string => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
  },
  flag: (name: string): boolean => argv.includes(`--${name}`),
};
const coreCount = (): number => cpus().length;
const loadAverages = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');

const SECONDS = Number(cli.option('seconds', '10'));
const CONNECTIONS = Number(cli.option('connections', '10'));
const CREATIONS = Number(cli.option('creations', '600'));
const STOP_CONSUMERS = cli.flag('stop-consumers');
const WRITE_README = cli.flag('write-readme');
const CONSUMERS = ['validator', 'transcoder', 'hls', 'transcriber', 'notifier'];
const KEY = `tfk_${randomBytes(32).toString('base64url')}`;
/** The seed's figures (issue 5), reported beside ours. */
const SEED_P95_MS = { status: 150, creation: 300 };

interface Figures {
  name: string;
  requests: number;
  non2xx: number;
  errors: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitHealthy(url: string, child: ChildProcess, what: string, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode})`);
    try {
      const res = await request(`${url}/health`);
      await res.body.dump();
      if (res.statusCode === 200) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${what} did not start`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const percentile = (sorted: number[], p: number): number =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;

/** One autocannon run; latencies of every response, in ms. */
async function run(name: string, options: autocannon.Options): Promise<Figures> {
  const latencies: number[] = [];
  const instance = autocannon({ connections: CONNECTIONS, ...options });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) =>
    latencies.push(responseTime),
  );
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    instance.on('done', resolve);
    instance.on('error', reject);
  });
  latencies.sort((a, b) => a - b);
  const elapsedS = result.duration;
  const figures: Figures = {
    name,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    rps: result.requests.total / elapsedS,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
  };
  console.log(
    `${name}: ${figures.requests} requests, ${figures.rps.toFixed(0)}/s, p50 ${figures.p50.toFixed(1)} ms, p95 ${figures.p95.toFixed(1)} ms, p99 ${figures.p99.toFixed(1)} ms, non-2xx ${figures.non2xx}, errors ${figures.errors}`,
  );
  return figures;
}

function multipartBody(): { body: Buffer; contentType: string } {
  const boundary = '----tfbench0123456789';
  const file = randomBytes(1024);
  const parts = [
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="enable_transcription"\r\n\r\nfalse\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="video_file"; filename="bench.mp4"\r\nContent-Type: video/mp4\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ];
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

function stopConsumers(): string[] {
  const stopped: string[] = [];
  for (const app of CONSUMERS) {
    const pidFile = path.join(servicesRoot, '.stack/run/services', `${app}.pid`);
    if (!existsSync(pidFile)) continue;
    const pid = Number(readFileSync(pidFile, 'utf8'));
    try {
      process.kill(pid, 'SIGTERM');
      stopped.push(app);
    } catch {
      // not running
    }
  }
  // services.sh waits for its own processes; here: until none of them is alive.
  for (const app of stopped) {
    const pid = Number(readFileSync(path.join(servicesRoot, '.stack/run/services', `${app}.pid`), 'utf8'));
    for (let i = 0; i < 60; i++) {
      try {
        process.kill(pid, 0);
        execFileSync('sleep', ['0.5']);
      } catch {
        break;
      }
    }
  }
  console.log(`stopped: ${stopped.join(', ') || 'none'}`);
  return stopped;
}

function restartConsumers(apps: string[]): void {
  for (const app of apps)
    execFileSync('bash', [path.join(servicesRoot, 'scripts/services.sh'), 'restart', app], {
      cwd: servicesRoot,
      stdio: 'inherit',
    });
}

const ms = (v: number) => v.toFixed(1);
const ratio = (v: number, base: number) => `${(v / base).toFixed(1)}×`;

function section(f: Record<'bare' | 'health' | 'status' | 'creation', Figures>, outputs: number): string {
  const row = (label: string, x: Figures, seed?: number) =>
    `| ${label} | ${x.requests} | ${x.rps.toFixed(0)} | ${ms(x.p50)} | ${ms(x.p95)} | ${ms(x.p99)} | ${ratio(x.p95, f.bare.p95)} / ${ratio(f.bare.rps, x.rps)} | ${x.non2xx + x.errors} | ${seed ? `${seed} ms` : '—'} |`;
  return [
    '## API',
    '',
    `\`node -r @swc-node/register bench/api.bench.ts${STOP_CONSUMERS ? ' --stop-consumers' : ''}\` (${new Date().toISOString().slice(0, 10)}): autocannon, ${CONNECTIONS} connections,`,
    `${SECONDS} s per read test and ${CREATIONS} creations, against a gateway started from source (one process, Node ${process.version}) on this`,
    `machine (${coreCount()} cores; load average before: ${loadAverages()}), ${STOP_CONSUMERS ? 'with validator, transcoder, hls, transcriber and notifier stopped' : 'with the pipeline consumers running'}.`,
    `Latency percentiles over every response. Ratio: p95 latency / the bare server's p95, and the bare server's throughput / this one's.`,
    '',
    '| test | requests | req/s | p50 ms | p95 ms | p99 ms | ratio p95 / throughput | non-2xx + errors | seed p95 |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    row('baseline: bare Node http server (JSON)', f.bare),
    row('baseline: gateway GET /health', f.health),
    row(`job status: GET /api/v1/jobs/:id (completed job, ${outputs} outputs presigned)`, f.status, SEED_P95_MS.status),
    row('job creation: POST /api/v1/jobs/upload (1 KiB file, multipart)', f.creation, SEED_P95_MS.creation),
    '',
    'Each request passes the X-API-Key check (a key lookup) and the rate limiter (Redis) before the handler; the bench',
    "gateway's rate limit is raised so that no request answers 429. A creation streams the file to S3, then commits",
    'the job row, the VideoUploaded outbox row and the SSE notification in one transaction.',
  ].join('\n');
}

async function main(): Promise<void> {
  const barePort = await freePort();
  const bare = spawn(
    process.execPath,
    [
      '-e',
      `require('http').createServer((q,s)=>{s.setHeader('content-type','application/json');s.end('{"status":"ok"}')}).listen(${barePort},'127.0.0.1')`,
    ],
    { stdio: 'ignore' },
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const gateway = spawn(process.execPath, ['-r', '@swc-node/register', path.join(root, 'apps/gateway/src/main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      TF_HTTP_PORT: String(port),
      TF_BOOTSTRAP_API_KEY: KEY,
      TF_LOG_LEVEL: 'warn',
      TF_RATE_LIMIT_CAPACITY: '1000000',
      TF_RATE_LIMIT_REFILL_PER_S: '1000000',
    },
    stdio: 'ignore',
  });
  let stopped: string[] = [];
  try {
    await waitHealthy(url, gateway, 'gateway');
    const client = new TranscodeFlowClient({ baseUrl: url, apiKey: KEY });
    // A completed job to read (tenant "default": the bootstrap key's), else one made now.
    const jobId = (await client.listJobs({ status: 'completed', limit: 1 })).jobs[0]?.job_id;
    if (!jobId)
      throw new Error(
        'no completed job of tenant "default" to read: run `npm run demo` (or any upload with the local key) first',
      );
    const outputs = (await client.getJob(jobId)).outputs.length;
    if (STOP_CONSUMERS) stopped = stopConsumers();

    const bareFigures = await run('bare node', { url: `http://127.0.0.1:${barePort}/`, duration: SECONDS });
    const health = await run('GET /health', { url: `${url}/health`, duration: SECONDS });
    const status = await run('GET /api/v1/jobs/:id', {
      url: `${url}/api/v1/jobs/${jobId}`,
      headers: { 'x-api-key': KEY },
      duration: SECONDS,
    });
    const { body, contentType } = multipartBody();
    const creation = await run('POST /api/v1/jobs/upload', {
      url: `${url}/api/v1/jobs/upload`,
      method: 'POST',
      headers: { 'x-api-key': KEY, 'content-type': contentType },
      body,
      amount: CREATIONS,
      duration: SECONDS * 6,
    });
    const text = section({ bare: bareFigures, health, status, creation }, outputs);
    console.log(`\n${text}\n`);
    console.log(
      `seed p95: status ${SEED_P95_MS.status} ms (ours ${ms(status.p95)} ms), creation ${SEED_P95_MS.creation} ms (ours ${ms(creation.p95)} ms)`,
    );
    if (WRITE_README) writeReadmeSection(text);
  } finally {
    gateway.kill('SIGTERM');
    bare.kill('SIGTERM');
    if (stopped.length) restartConsumers(stopped);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
