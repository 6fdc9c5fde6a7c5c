import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Partitioners } from 'kafkajs';
import { request } from 'undici';
import { JobView, TranscodeFlowClient } from '@tf/client';
import { DEFAULT_PARTITIONS } from '@tf/contracts';
import { repoRoot } from '../support/processes';
import { waitFor } from '../support/wait';
import { apiKey, backgroundServiceEnv } from '../pipeline/pipeline-harness';

const exec = promisify(execFile);

export type App = 'validator' | 'transcoder' | 'hls' | 'transcriber' | 'notifier' | 'gateway';
export const APPS: App[] = ['validator', 'transcoder', 'hls', 'transcriber', 'notifier', 'gateway'];

/** Pid of a service started by scripts/services.sh (the background services of the e2e tests). */
export function backgroundPid(app: App): number {
  return Number(readFileSync(join(repoRoot, '.stack/run/services', `${app}.pid`), 'utf8').trim());
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Sends `signal` to a background service and waits until the process is gone. */
export async function signalBackground(app: App, signal: NodeJS.Signals, timeoutMs = 60_000): Promise<void> {
  const pid = backgroundPid(app);
  if (!alive(pid)) return;
  process.kill(pid, signal);
  await waitFor(`${app} (pid ${pid}) to exit after ${signal}`, async () => !alive(pid), timeoutMs, 100);
}

/** Starts a background service again, as a supervisor would; resolves once it answers /health. */
export async function restartBackground(app: App): Promise<void> {
  await exec('bash', ['scripts/services.sh', 'restart', app], { cwd: repoRoot, env: backgroundServiceEnv() });
}

/** The partition kafkajs' default partitioner gives a key (every pipeline topic has DEFAULT_PARTITIONS). */
export function partitionOf(key: string, partitions = DEFAULT_PARTITIONS): number {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
    partitionId,
    leader: 0,
    replicas: [0],
    isr: [0],
    partitionErrorCode: 0,
  }));
  return partitioner({ topic: 'any', partitionMetadata, message: { key, value: null } });
}

/** A client of a new tenant (its own API key, created with the platform admin key). */
export async function tenantClient(tenant: string): Promise<TranscodeFlowClient> {
  const res = await request('http://127.0.0.1:10080/api/v1/admin/keys', {
    method: 'POST',
    headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ tenant_id: tenant, scopes: ['jobs:read', 'jobs:write'] }),
  });
  const body = (await res.body.json()) as { key?: string };
  if (res.statusCode !== 201 || !body.key)
    throw new Error(`key for tenant ${tenant}: ${res.statusCode} ${JSON.stringify(body)}`);
  return new TranscodeFlowClient({ apiKey: body.key });
}

export type TimelineEntry = {
  stage: string;
  status: string;
  started_at: string | null;
  finished_at: string | null;
  progress?: number | null;
};
export const timelineOf = (job: JobView) => (job.timeline as TimelineEntry[] | undefined) ?? [];
export const stageOf = (job: JobView, stage: string) => timelineOf(job).find((e) => e.stage === stage);

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

/** Polls a job until it is terminal; tolerates the gateway being down meanwhile (it is restarted by the test). */
export function waitForTerminal(api: TranscodeFlowClient, jobId: string, timeoutMs: number): Promise<JobView> {
  return waitFor(
    `job ${jobId} to finish`,
    async () => {
      const job = await api.getJob(jobId).catch(() => undefined);
      return job && TERMINAL.has(job.status) ? job : undefined;
    },
    timeoutMs,
    500,
  );
}

/** mulberry32: a small seeded generator, so a failing chaos run can be replayed with its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
