import { randomBytes, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { AddressInfo, createServer } from 'node:net';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { EventType, EventsByType, JobSpec, Topics } from '@tf/contracts';
import { AvroCodec, createKafka } from '@tf/messaging';
import { createServiceDataSource, databaseUrl } from '@tf/persistence';
import { Producer } from 'kafkajs';
import { JobRecord, newJobRecord } from '../../apps/gateway/src/jobs/job-record';
import { JobsRepository } from '../../apps/gateway/src/jobs/jobs.repository';
import { gatewayDataSourceOptions } from '../../apps/gateway/src/gateway.persistence';
import { ServiceProcess, startTsProcess } from '../support/processes';
import { waitFor } from '../support/wait';

export const TRACKER_GROUP = 'tf-gateway-jobs';

/**
 * A key of the generated shape unique to this test file (the gateway ensures it at startup: tenant
 * "default"; it retires the bootstrap keys of earlier files, and services.sh's gateway brings the local
 * stack's own back when it starts).
 */
export const newBootstrapKey = (): string => `tfk_${randomBytes(32).toString('base64url')}`;

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface GatewayProcess {
  process: ServiceProcess;
  url: string;
  stop: () => Promise<void>;
}

/** Starts apps/gateway/src/main.ts on a free port; resolves once it answers /health and its tracker joined the group. */
export async function startGateway(env: Record<string, string>): Promise<GatewayProcess> {
  const port = await freePort();
  const process = startTsProcess('apps/gateway/src/main.ts', { TF_HTTP_PORT: String(port), ...env });
  await process.waitForOutput(/Nest application successfully started/, 120_000);
  await process.waitForOutput(new RegExp(`joined group ${TRACKER_GROUP}`), 120_000);
  const url = `http://127.0.0.1:${port}`;
  // The HTTP port listens last (after the Kafka transport has joined its group): wait until it answers.
  await waitFor(
    `gateway ${url} to answer HTTP`,
    async () => {
      if (process.child.exitCode !== null)
        throw new Error(`gateway exited (${process.child.exitCode}):\n${process.output().slice(-4000)}`);
      return (
        (await send(`${url}/health`)
          .then((r) => r.status > 0)
          .catch(() => false)) || undefined
      );
    },
    60_000,
    100,
  );
  return { process, url, stop: () => process.kill() };
}

export async function connectDb(): Promise<Client> {
  const db = new Client({ connectionString: databaseUrl() });
  await db.connect();
  return db;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: <T = Record<string, unknown>>() => T;
}

/**
 * A raw HTTP request that reads the answer even when the server answers before the body was sent
 * (413): write errors of the request are ignored, the response is what counts.
 */
export function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    // agent: false: a pooled keep-alive socket the server closed meanwhile (idle > 5 s, e.g. while a
    // synchronous tflow call blocked this loop) would fail with ECONNRESET, which is ignored below.
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) });
      });
      res.on('error', reject);
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE' && e.code !== 'ECONNRESET') reject(e);
    });
    if (options.body) req.setHeader('Content-Length', options.body.length);
    req.end(options.body);
  });
}

export type FormPart =
  { name: string; value: string } | { name: string; filename: string; content: Buffer; contentType?: string };

/** A multipart/form-data body with the parts in the given order (fields may follow the file). */
export function multipart(parts: FormPart[]): { body: Buffer; contentType: string } {
  const boundary = `----tfitest${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    if ('filename' in part) {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: ${part.contentType ?? 'video/mp4'}\r\n\r\n`,
        ),
      );
      chunks.push(part.content, Buffer.from('\r\n'));
    } else {
      chunks.push(
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`),
      );
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export function upload(gatewayUrl: string, apiKey: string | null, parts: FormPart[]): Promise<HttpAnswer> {
  const { body, contentType } = multipart(parts);
  return send(`${gatewayUrl}/api/v1/jobs/upload`, {
    method: 'POST',
    headers: { 'Content-Type': contentType, ...(apiKey ? { 'X-API-Key': apiKey } : {}) },
    body,
  });
}

export const getJob = (gatewayUrl: string, apiKey: string, id: string) =>
  send(`${gatewayUrl}/api/v1/jobs/${id}`, { headers: { 'X-API-Key': apiKey } });

/** Job rows made directly through the gateway's repository: tracker tests need no upload (and so no validator). */
export class JobFixtures {
  private constructor(private readonly dataSource: DataSource) {}

  static async open(): Promise<JobFixtures> {
    const dataSource = createServiceDataSource({ ...gatewayDataSourceOptions, poolSize: 2 });
    await dataSource.initialize();
    return new JobFixtures(dataSource);
  }

  async create(tenantId: string, spec: Partial<JobSpec>): Promise<JobRecord> {
    const id = randomUUID();
    const fullSpec: JobSpec = {
      tenant_id: tenantId,
      target_resolutions: ['360p', '720p'],
      enable_hls: true,
      enable_transcription: true,
      webhook_url: null,
      priority: 'normal',
      language: null,
      ...spec,
    };
    const job = newJobRecord(
      {
        id,
        tenantId,
        spec: fullSpec,
        source: { bucket: 'raw-videos', key: `${id}/source.mp4`, bytes: 1234, content_type: 'video/mp4' },
        originalFilename: 'fixture.mp4',
      },
      new Date(),
    );
    await this.dataSource.transaction((tx) => new JobsRepository(this.dataSource).insert(tx, job));
    return job;
  }

  close(): Promise<void> {
    return this.dataSource.destroy();
  }
}

/** Publishes real Avro events on the pipeline topics, keyed by job id, as the stages' relays do. */
export class EventPublisher {
  private readonly codec = new AvroCodec();
  private constructor(private readonly producer: Producer) {}

  static async connect(): Promise<EventPublisher> {
    const producer = createKafka(`itest-gateway-${process.pid}`).producer();
    await producer.connect();
    return new EventPublisher(producer);
  }

  encode<T extends EventType>(type: T, event: EventsByType[T]): Promise<Buffer> {
    return this.codec.encode(type, event);
  }

  /** Sends already-encoded messages (to deliver the very same bytes twice). */
  async sendRaw(type: EventType, jobId: string, values: Buffer[]): Promise<void> {
    await this.producer.send({
      topic: Topics[type],
      acks: -1,
      messages: values.map((value) => ({ key: jobId, value })),
    });
  }

  async publish<T extends EventType>(type: T, event: EventsByType[T]): Promise<void> {
    await this.sendRaw(type, event.job_id, [await this.encode(type, event)]);
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}

/** Waits until the tracker group applied these events (their inbox rows exist). */
export function waitForApplied(db: Client, eventIds: string[], timeoutMs = 120_000): Promise<true> {
  return waitFor(
    `${eventIds.length} event(s) applied by ${TRACKER_GROUP}`,
    async () => {
      const { rows } = await db.query(
        `SELECT count(*)::int AS n FROM gateway.inbox WHERE consumer_group = $1 AND event_id = ANY($2::uuid[])`,
        [TRACKER_GROUP, eventIds],
      );
      return rows[0].n === eventIds.length;
    },
    timeoutMs,
  );
}

export async function waitForStatus(
  gatewayUrl: string,
  apiKey: string,
  jobId: string,
  status: string,
  timeoutMs = 120_000,
): Promise<Record<string, unknown>> {
  return waitFor(
    `job ${jobId} ${status}`,
    async () => {
      const res = await getJob(gatewayUrl, apiKey, jobId);
      const body = res.json();
      return body.status === status ? body : undefined;
    },
    timeoutMs,
  );
}
