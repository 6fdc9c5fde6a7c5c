// Helpers of the Jobs API integration tests (list, cancel, retry, backfill) on the real stack.
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { JobSpec } from '@tf/contracts';
import { createServiceDataSource } from '@tf/persistence';
import { ApiKeysRepository } from '../../apps/gateway/src/access/api-keys.repository';
import { ApiKeysService } from '../../apps/gateway/src/access/api-keys.service';
import { type Scope, digestApiKey } from '../../apps/gateway/src/access/api-key';
import { gatewayDataSourceOptions } from '../../apps/gateway/src/gateway.persistence';
import { JobRecord, JobStatus, newJobRecord } from '../../apps/gateway/src/jobs/job-record';
import { JobsRepository } from '../../apps/gateway/src/jobs/jobs.repository';
import { HttpAnswer, getJob, send } from '../gateway/gateway-harness';
import { ServiceProcess, repoRoot, startTsProcess } from '../support/processes';
import { waitFor } from '../support/wait';

const exec = promisify(execFile);

export const rand = (): string => randomBytes(4).toString('hex');

export const spec = (tenantId: string, over: Partial<JobSpec> = {}): JobSpec => ({
  tenant_id: tenantId,
  target_resolutions: ['360p'],
  enable_hls: true,
  enable_transcription: false,
  webhook_url: null,
  priority: 'normal',
  language: null,
  ...over,
});

/** The gateway's schema through its own repositories: keys for test tenants, job rows as fixtures. */
export class GatewayDb {
  private constructor(readonly dataSource: DataSource) {}

  static async open(): Promise<GatewayDb> {
    const dataSource = createServiceDataSource({ ...gatewayDataSourceOptions, poolSize: 2 });
    await dataSource.initialize();
    return new GatewayDb(dataSource);
  }

  async createKey(tenantId: string, scopes: Scope[]): Promise<string> {
    return (await new ApiKeysService(new ApiKeysRepository(this.dataSource)).create(tenantId, scopes, 'itest-jobs'))
      .key;
  }

  /** Revokes a key as `tflow keys revoke <prefix>` does; returns how many keys it revoked. */
  async revokeKey(key: string): Promise<number> {
    return new ApiKeysService(new ApiKeysRepository(this.dataSource)).revoke(digestApiKey(key)!.prefix);
  }

  /** A job row only (no event goes out): for list tests, and for jobs whose stage events the test publishes itself. */
  async insertJob(
    tenantId: string,
    o: { createdAt?: Date; status?: JobStatus; labels?: string[]; spec?: Partial<JobSpec>; id?: string } = {},
  ): Promise<JobRecord> {
    const id = o.id ?? randomUUID();
    const job = newJobRecord(
      {
        id,
        tenantId,
        spec: spec(tenantId, o.spec),
        source: { bucket: 'raw-videos', key: `${id}/source.mp4`, bytes: 1234, content_type: 'video/mp4' },
        originalFilename: 'fixture.mp4',
        labels: o.labels ?? [],
      },
      o.createdAt ?? new Date(),
    );
    if (o.status) job.status = o.status;
    await this.dataSource.transaction((tx) => new JobsRepository(this.dataSource).insert(tx, job));
    return job;
  }

  close(): Promise<void> {
    return this.dataSource.destroy();
  }
}

/** One of the pipeline services, started from source for the test (other instances may share its group). */
export async function startService(
  app: 'validator' | 'transcoder' | 'hls' | 'transcriber',
  env: Record<string, string> = {},
): Promise<ServiceProcess> {
  const service = startTsProcess(`apps/${app}/src/main.ts`, { TF_HTTP_PORT: '0', ...env });
  if (app !== 'validator') await service.waitForOutput(/cancel listener joined group/, 240_000);
  await service.waitForOutput(new RegExp(`joined group tf-${app} as `), 240_000);
  return service;
}

const json = (value: unknown) => ({
  headers: { 'Content-Type': 'application/json' },
  body: Buffer.from(JSON.stringify(value)),
});

/** The Jobs API as a client calls it. */
export class JobsApi {
  constructor(readonly url: string) {}

  list(key: string, query: Record<string, string | string[]> = {}): Promise<HttpAnswer> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) for (const one of Array.isArray(v) ? v : [v]) qs.append(k, one);
    return send(`${this.url}/api/v1/jobs${qs.size ? `?${qs}` : ''}`, { headers: { 'X-API-Key': key } });
  }

  /** Every page of a listing, following next_cursor. */
  async listAll(
    key: string,
    query: Record<string, string | string[]> = {},
  ): Promise<{ pages: string[][]; ids: string[] }> {
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const res = await this.list(key, { ...query, ...(cursor ? { cursor } : {}) });
      if (res.status !== 200) throw new Error(`list answered ${res.status}: ${res.body}`);
      const body = res.json<{ jobs: { job_id: string }[]; next_cursor: string | null }>();
      pages.push(body.jobs.map((j) => j.job_id));
      cursor = body.next_cursor;
    } while (cursor && pages.length < 100);
    return { pages, ids: pages.flat() };
  }

  get(key: string, id: string): Promise<HttpAnswer> {
    return getJob(this.url, key, id);
  }

  cancel(key: string, id: string, body?: unknown): Promise<HttpAnswer> {
    const j = body === undefined ? undefined : json(body);
    return send(`${this.url}/api/v1/jobs/${id}/cancel`, {
      method: 'POST',
      body: j?.body,
      headers: { ...j?.headers, 'X-API-Key': key },
    });
  }

  retry(key: string, id: string): Promise<HttpAnswer> {
    return send(`${this.url}/api/v1/jobs/${id}/retry`, { method: 'POST', headers: { 'X-API-Key': key } });
  }

  backfill(key: string, body: unknown): Promise<HttpAnswer> {
    const j = json(body);
    return send(`${this.url}/api/v1/admin/jobs/backfill`, {
      method: 'POST',
      body: j.body,
      headers: { ...j.headers, 'X-API-Key': key },
    });
  }
}

export interface JobBody {
  job_id: string;
  status: string;
  attempt: number;
  labels: string[];
  error: { code: string; message: string } | null;
  timeline: { stage: string; status: string; progress: number | null; detail: string | null }[];
  cancelled_at: string | null;
}

/** Polls GET /api/v1/jobs/:id until `accept` says yes. */
export function waitForJob(
  api: JobsApi,
  key: string,
  id: string,
  what: string,
  accept: (job: JobBody) => boolean,
  timeoutMs = 300_000,
): Promise<JobBody> {
  return waitFor(
    `job ${id} ${what}`,
    async () => {
      const res = await api.get(key, id);
      if (res.status !== 200) return undefined;
      const job = res.json<JobBody>();
      return accept(job) ? job : undefined;
    },
    timeoutMs,
    500,
  );
}

export const stageOf = (job: JobBody, stage: string) => job.timeline.find((e) => e.stage === stage);

/** Rows of one event type a service's outbox holds for a job: what it emitted (relayed or not). */
export async function emitted(db: Client, schema: string, type: string, jobId: string): Promise<number> {
  const { rows } = await db.query(
    `SELECT count(*)::int AS n FROM ${schema}.outbox WHERE type = $1 AND aggregateid = $2`,
    [type, jobId],
  );
  return rows[0].n as number;
}

/** `tflow <args>` as an operator runs it, against the gateway at `api.url` with `api.key`. */
export async function tflow(
  args: string[],
  api: { url: string; key: string },
): Promise<{ stdout: string; stderr: string }> {
  const env = { ...process.env, TF_API_URL: api.url, TF_API_KEY: api.key };
  return exec(process.execPath, [join(repoRoot, 'bin/tflow.js'), ...args], { cwd: '/', encoding: 'utf8', env });
}

/** Command lines of running processes that mention `needle` (e.g. an ffmpeg working in the job's scratch directory). */
export async function processesMentioning(needle: string): Promise<string[]> {
  const { stdout } = await exec('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return stdout
    .split('\n')
    .filter((l) => l.includes(needle) && !l.includes('ps -eo'))
    .map((l) => l.trim());
}
