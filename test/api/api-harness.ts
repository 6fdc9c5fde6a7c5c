// Helpers of the API tests (OpenAPI, GraphQL, tflow) on the real stack: a gateway started from
// source for the test, keys of test tenants, GraphQL over HTTP and graphql-ws, small real clips.
import { ApiError, JobView, TranscodeFlowClient } from '@tf/client';
import { makeSampleClip } from '@tf/testing';
import { createClient, Client as WsClient } from 'graphql-ws';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { GatewayProcess, newBootstrapKey, startGateway } from '../gateway/gateway-harness';
import { GatewayDb, startService } from '../jobs/jobs-harness';
import { ServiceProcess } from '../support/processes';
import { waitFor } from '../support/wait';

export const rand = (): string => randomBytes(4).toString('hex');

export interface ApiStack {
  gateway: GatewayProcess;
  url: string;
  /** The gateway's bootstrap key: tenant "default", every scope. */
  bootstrapKey: string;
  db: GatewayDb;
  stop: () => Promise<void>;
}

/**
 * One gateway (from source, on a free port) with a key of its own, and the stages the test's jobs go
 * through, from source, in the real consumer groups (the background services of scripts/services.sh
 * are stopped around integration test files). The tests' jobs ask for neither HLS nor transcription:
 * validator and transcoder take them to completed.
 */
export async function startApiStack(
  stages: ('validator' | 'transcoder')[] = ['validator', 'transcoder'],
): Promise<ApiStack> {
  const bootstrapKey = newBootstrapKey();
  const starting = startGateway({
    TF_BOOTSTRAP_API_KEY: bootstrapKey,
    TF_RATE_LIMIT_CAPACITY: '10000',
    TF_RATE_LIMIT_REFILL_PER_S: '1000',
    TF_KEY_RECHECK_MS: '250',
  });
  const services: ServiceProcess[] = await Promise.all(stages.map((app) => startService(app)));
  const gateway = await starting;
  const db = await GatewayDb.open();
  return {
    gateway,
    url: gateway.url,
    bootstrapKey,
    db,
    stop: async () => {
      await Promise.all(services.map((s) => s.kill()));
      await gateway.stop();
      await db.close();
    },
  };
}

export const clientFor = (url: string, apiKey: string): TranscodeFlowClient =>
  new TranscodeFlowClient({ baseUrl: url, apiKey });

export type GqlError = { message: string; extensions?: { code?: string; status?: number } };
export type GqlAnswer<T> = { data?: T | null; errors?: GqlError[] };

/** POST /graphql with a key (or none). */
export async function gql<T = Record<string, unknown>>(
  url: string,
  apiKey: string | null,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GqlAnswer<T>> {
  return new TranscodeFlowClient({ baseUrl: url, apiKey: apiKey ?? '' }).graphql<T>(query, variables) as Promise<
    GqlAnswer<T>
  >;
}

export const codes = (answer: GqlAnswer<unknown>): string[] =>
  (answer.errors ?? []).map((e) => e.extensions?.code ?? '?');

/** A graphql-ws client; `connectionParams` carry the key as a browser client would send it. */
export function wsClient(url: string, connectionParams: Record<string, unknown>): WsClient {
  return createClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
  });
}

export interface SubscriptionRecord<T> {
  events: T[];
  /** Set when the server completed the subscription or it failed. */
  done: Promise<void>;
  errors: unknown[];
  finished: boolean;
  stop: () => void;
}

/** Runs one subscription, recording every payload until it completes or fails. */
export function record<T>(
  client: WsClient,
  query: string,
  variables: Record<string, unknown>,
  field: string,
): SubscriptionRecord<T> {
  const rec = { events: [] as T[], errors: [] as unknown[], finished: false } as SubscriptionRecord<T>;
  rec.done = new Promise<void>((resolve) => {
    rec.stop = client.subscribe<Record<string, T>>(
      { query, variables },
      {
        next: (value) => {
          if (value.errors?.length) rec.errors.push(...value.errors);
          if (value.data?.[field]) rec.events.push(value.data[field]);
        },
        error: (e) => {
          rec.errors.push(e);
          rec.finished = true;
          resolve();
        },
        complete: () => {
          rec.finished = true;
          resolve();
        },
      },
    );
  });
  return rec;
}

const workDir = mkdtempSync(join(tmpdir(), 'tf-api-'));

/** A short H.264/AAC clip (testsrc2 + tone) made on the spot. */
export async function sampleClip(name: string, seconds = 2, size: [number, number] = [320, 240]): Promise<string> {
  return makeSampleClip(join(workDir, name), { width: size[0], height: size[1], durationS: seconds, tone: true });
}

/** Bytes that are no video: the validator fails the job. */
export function notAVideo(name = 'broken.mp4'): string {
  const path = join(workDir, name);
  writeFileSync(path, randomBytes(50_000));
  return path;
}

/** Polls GET /api/v1/jobs/:id until the job is in one of `statuses`. */
export function waitForStatus(
  client: TranscodeFlowClient,
  jobId: string,
  statuses: string[],
  timeoutMs = 300_000,
): Promise<JobView> {
  return waitFor(
    `job ${jobId} ${statuses.join('|')}`,
    async () => {
      const job = await client.getJob(jobId);
      return statuses.includes(job.status) ? job : undefined;
    },
    timeoutMs,
    500,
  );
}

/** Presigned URLs carry the signing time: compare them without their query string. */
export function unsigned<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (k, v) => (k === 'url' && typeof v === 'string' ? v.split('?')[0] : v)) as T;
}

export { ApiError };
