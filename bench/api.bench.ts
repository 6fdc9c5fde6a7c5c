// API bench: autocannon against gateways started from source on this machine, for
//   bare      : a bare Node http server answering a small JSON (same machine, same client), measured
//               first and last, the reference of every ratio;
//   health    : the gateway's GET /health (its cheapest route: one SELECT 1);
//   status    : GET /api/v1/jobs/:id of a completed job (key check, rate limit, the row, one presigned
//               URL per output), as fast as 10 connections go (req/s), and at a fixed 500 req/s (p99);
//   creation  : POST /api/v1/jobs/upload at a fixed 20 req/s, multipart with a 1 KiB file (stream to S3,
//               job row + VideoUploaded outbox row + notification in one transaction): p95.
// p50/p95/p99 come from every response's latency (autocannon's own histogram has no p95). With --before
// <dir> (a checkout of earlier code with node_modules) the same tests run first on a gateway from there:
// before and after in one run, each as a ratio to the same bare server.
//
//   node -r @swc-node/register bench/api.bench.ts [--seconds 10] [--connections 10] [--rate 500]
//        [--creation-rate 20] [--creations 200] [--read-runs 3] [--before <dir>] [--stop-consumers] [--write-readme]
//
// The gateways use the local stack's admin key (TF_BOOTSTRAP_API_KEY, from .stack/secrets.env: a
// gateway given another bootstrap key would retire it) and a rate limit high enough not to answer 429;
// the key must see a completed job (tenant "default": `npm run demo` makes one). Run it inside the stack
// lock (the gateways join the tracker's consumer group). --stop-consumers stops validator, transcoder,
// hls, transcriber and notifier (scripts/services.sh's pid files) for the run and starts them again
// after (`scripts/services.sh restart <app>`); the jobs created meanwhile are then failed by the
// validator (a 1 KiB file is no video). --write-readme replaces the "## API" section of bench/README.md.
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
const RATE = Number(cli.option('rate', '500'));
const CREATION_RATE = Number(cli.option('creation-rate', '20'));
const CREATIONS = Number(cli.option('creations', '200'));
/** Status reads at full speed per gateway: the machine's speed drifts by ±25 % between runs, so the median counts. */
const READ_RUNS = Number(cli.option('read-runs', '3'));
const BEFORE = cli.option('before', '');
const STOP_CONSUMERS = cli.flag('stop-consumers');
const WRITE_README = cli.flag('write-readme');
const CONSUMERS = ['validator', 'transcoder', 'hls', 'transcriber', 'notifier'];
/** Issue 12's goals. */
const GOAL = { statusRps: 2000, statusP99Ms: 25, creationP95Ms: 150 };

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
const x = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)}×`;

interface GatewayFigures {
  label: string;
  health: Figures;
  /** The median of `statusRuns` by req/s. */
  status: Figures;
  statusRuns: Figures[];
  statusAtRate: Figures;
  creation: Figures;
}

interface Baseline {
  max: Figures[];
  atRate: Figures[];
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function section(
  bare: Baseline,
  gateways: GatewayFigures[],
  outputs: number,
  load: { before: string; after: string },
): string {
  const bareRps = mean(bare.max.map((f) => f.rps));
  const bareP99AtRate = mean(bare.atRate.map((f) => f.p99));
  const row = (label: string, f: Figures, ratio: string) =>
    `| ${label} | ${f.requests} | ${f.rps.toFixed(0)} | ${ms(f.p50)} | ${ms(f.p95)} | ${ms(f.p99)} | ${ratio} | ${f.non2xx + f.errors} |`;
  const lines = [
    '| test | requests | req/s | p50 ms | p95 ms | p99 ms | ratio to bare Node | non-2xx + errors |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...bare.max.map((f, i) =>
      row(`bare Node http server, ${CONNECTIONS} connections (${i ? 'last' : 'first'})`, f, '1×'),
    ),
    ...bare.atRate.map((f, i) => row(`bare Node at ${RATE} req/s (${i ? 'last' : 'first'})`, f, '1×')),
  ];
  for (const g of gateways) {
    lines.push(
      row(`${g.label}: GET /health`, g.health, `req/s ${x(g.health.rps / bareRps)}`),
      row(
        `${g.label}: GET /api/v1/jobs/:id, ${CONNECTIONS} connections (median of ${g.statusRuns.length} runs: ${g.statusRuns.map((f) => f.rps.toFixed(0)).join(', ')} req/s)`,
        g.status,
        `req/s ${x(g.status.rps / bareRps)}`,
      ),
      row(
        `${g.label}: GET /api/v1/jobs/:id at ${RATE} req/s`,
        g.statusAtRate,
        `p99 ${x(g.statusAtRate.p99 / bareP99AtRate)}`,
      ),
      row(`${g.label}: POST /api/v1/jobs/upload (1 KiB) at ${CREATION_RATE} req/s`, g.creation, '—'),
    );
  }
  const goals = gateways.map(
    (g) =>
      `- ${g.label}: status read ${g.status.rps.toFixed(0)} req/s (goal ≥ ${GOAL.statusRps}; ${x(g.status.rps / bareRps)} of bare Node's ${bareRps.toFixed(0)}), p99 at ${RATE} req/s ${ms(g.statusAtRate.p99)} ms (goal ≤ ${GOAL.statusP99Ms}; ${x(g.statusAtRate.p99 / bareP99AtRate)} bare Node's ${ms(bareP99AtRate)} ms), job creation p95 at ${CREATION_RATE} req/s ${ms(g.creation.p95)} ms (goal ≤ ${GOAL.creationP95Ms}).`,
  );
  return [
    '## API',
    '',
    `\`node -r @swc-node/register bench/api.bench.ts${BEFORE ? ' --before <checkout>' : ''}${STOP_CONSUMERS ? ' --stop-consumers' : ''}\` (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC): autocannon, ${CONNECTIONS} connections,`,
    `${SECONDS} s per read test, ${CREATIONS} creations, against gateways started from source (one process each, Node ${process.version}) on this`,
    `machine (${coreCount()} cores; load average before: ${load.before}; after: ${load.after}), ${STOP_CONSUMERS ? 'with validator, transcoder, hls, transcriber and notifier stopped' : 'with whatever else ran on the machine'}. The job read has ${outputs} outputs, each presigned.`,
    "Latency percentiles over every response. Ratios: req/s as a fraction of the bare server's (as fast as the connections go),",
    `p99 as a multiple of the bare server's p99 at the same fixed rate (${RATE} req/s; autocannon -R).`,
    '',
    ...lines,
    '',
    ...goals,
  ].join('\n');
}

async function startGateway(checkout: string, key: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(checkout, 'apps/gateway/src/main.ts')], {
    cwd: checkout,
    env: {
      ...process.env,
      TF_HTTP_PORT: String(port),
      TF_CONSOLE_PORT: '0',
      TF_BOOTSTRAP_API_KEY: key,
      TF_LOG_LEVEL: 'warn',
      TF_RATE_LIMIT_CAPACITY: '1000000',
      TF_RATE_LIMIT_REFILL_PER_S: '1000000',
    },
    stdio: 'ignore',
  });
  await waitHealthy(url, child, `gateway of ${checkout}`);
  return { url, child };
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function measureGateway(label: string, url: string, key: string, jobId: string): Promise<GatewayFigures> {
  const health = await run(`${label} GET /health`, { url: `${url}/health`, duration: SECONDS });
  const statusUrl = `${url}/api/v1/jobs/${jobId}`;
  const headers = { 'x-api-key': key };
  // A short warm-up: the first reads fill the caches (key, signed URLs) and JIT the path.
  await run(`${label} warm-up`, { url: statusUrl, headers, duration: 2 });
  const statusRuns: Figures[] = [];
  for (let i = 0; i < READ_RUNS; i++)
    statusRuns.push(
      await run(`${label} GET /api/v1/jobs/:id (${i + 1}/${READ_RUNS})`, {
        url: statusUrl,
        headers,
        duration: SECONDS,
      }),
    );
  const status = [...statusRuns].sort((a, b) => a.rps - b.rps)[Math.floor((statusRuns.length - 1) / 2)];
  const statusAtRate = await run(`${label} GET /api/v1/jobs/:id at ${RATE}/s`, {
    url: statusUrl,
    headers,
    duration: SECONDS,
    overallRate: RATE,
  });
  const { body, contentType } = multipartBody();
  const creation = await run(`${label} POST /api/v1/jobs/upload at ${CREATION_RATE}/s`, {
    url: `${url}/api/v1/jobs/upload`,
    method: 'POST',
    headers: { 'x-api-key': key, 'content-type': contentType },
    body,
    amount: CREATIONS,
    overallRate: CREATION_RATE,
    duration: (CREATIONS / CREATION_RATE) * 3,
  });
  return { label, health, status, statusRuns, statusAtRate, creation };
}

async function main(): Promise<void> {
  const key = process.env.TF_BOOTSTRAP_API_KEY;
  if (!key)
    throw new Error(
      "TF_BOOTSTRAP_API_KEY is unset: `set -a; . .stack/secrets.env; set +a` (the local stack's admin key)",
    );
  const barePort = await freePort();
  const bareServer = spawn(
    process.execPath,
    [
      '-e',
      `require('http').createServer((q,s)=>{s.setHeader('content-type','application/json');s.end('{"status":"ok"}')}).listen(${barePort},'127.0.0.1')`,
    ],
    { stdio: 'ignore' },
  );
  const bareUrl = `http://127.0.0.1:${barePort}/`;
  const variants = [
    ...(BEFORE ? [{ label: 'before', checkout: path.resolve(BEFORE) }] : []),
    { label: BEFORE ? 'after' : 'gateway', checkout: root },
  ];
  let stopped: string[] = [];
  try {
    const loadBefore = loadAverages();
    const bare: Baseline = { max: [], atRate: [] };
    const measureBare = async () => {
      bare.max.push(await run('bare node', { url: bareUrl, duration: SECONDS }));
      bare.atRate.push(await run(`bare node at ${RATE}/s`, { url: bareUrl, duration: SECONDS, overallRate: RATE }));
    };
    await measureBare();
    if (STOP_CONSUMERS) stopped = stopConsumers();
    const gateways: GatewayFigures[] = [];
    let jobId = '';
    let outputs = 0;
    for (const v of variants) {
      const gateway = await startGateway(v.checkout, key);
      try {
        if (!jobId) {
          const client = new TranscodeFlowClient({ baseUrl: gateway.url, apiKey: key });
          jobId = (await client.listJobs({ status: 'completed', limit: 1 })).jobs[0]?.job_id ?? '';
          if (!jobId) throw new Error('no completed job of tenant "default" to read: run `npm run demo` first');
          outputs = (await client.getJob(jobId)).outputs.length;
        }
        gateways.push(await measureGateway(v.label, gateway.url, key, jobId));
      } finally {
        await stopProcess(gateway.child);
      }
    }
    await measureBare();
    const text = section(bare, gateways, outputs, { before: loadBefore, after: loadAverages() });
    console.log(`\n${text}\n`);
    if (WRITE_README) writeReadmeSection(text);
  } finally {
    bareServer.kill('SIGTERM');
    if (stopped.length) restartConsumers(stopped);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
