import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Topics } from '@tf/contracts';
import { createKafka } from '@tf/messaging';
import { AssignerProtocol } from 'kafkajs';
import { Client } from 'pg';
import { HttpAnswer, send } from '../gateway/gateway-harness';
import { repoRoot } from '../support/processes';
import { waitFor } from '../support/wait';

const exec = promisify(execFile);

/** Consumer groups and the topics every member must subscribe to for webhooks to flow. */
const REQUIRED: Array<{ group: string; app: 'notifier' | 'gateway'; topics: string[] }> = [
  {
    group: 'tf-notifier',
    app: 'notifier',
    topics: [Topics.WebhookEndpointChanged, Topics.WebhookRedeliveryRequested, Topics.VideoCompleted, Topics.JobFailed],
  },
  { group: 'tf-gateway-jobs', app: 'gateway', topics: [Topics.WebhookDeliveryRecorded] },
];

interface StaleMember {
  app: 'notifier' | 'gateway';
  clientId: string;
  /** From the client id `<service>-<host>-<pid>` (@tf/messaging's createKafka). */
  pid: number | null;
}

/** Members lacking a required topic; undefined while a group rebalances (no metadata to judge by). */
async function staleMembers(): Promise<StaleMember[] | undefined> {
  const admin = createKafka(`itest-webhooks-admin-${process.pid}`).admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups(REQUIRED.map((r) => r.group));
    const stale: StaleMember[] = [];
    for (const r of REQUIRED) {
      const group = groups.find((g) => g.groupId === r.group);
      // Dead: the group does not exist (a fresh cluster), so it has no member to be stale.
      if (!group || !['Stable', 'Empty', 'Dead'].includes(group.state)) return undefined;
      for (const m of group.members) {
        let topics: string[];
        try {
          topics = AssignerProtocol.MemberMetadata.decode(m.memberMetadata)?.topics ?? [];
        } catch {
          return undefined;
        }
        if (r.topics.some((t) => !topics.includes(t))) {
          const pid = /-(\d+)$/.exec(m.clientId)?.[1];
          stale.push({ app: r.app, clientId: m.clientId, pid: pid ? Number(pid) : null });
        }
      }
    }
    return stale;
  } finally {
    await admin.disconnect();
  }
}

const servicesPid = (app: string): number | null => {
  const file = join(repoRoot, '.stack/run/services', `${app}.pid`);
  return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : null;
};

/**
 * kafkajs' group leader assigns only the topics *it* subscribes to, and a member drops partitions of
 * topics it does not know: one member still running code from before the webhook topics stalls them
 * for the whole group. A stale member started by scripts/services.sh is restarted onto the current
 * code; any other (another checkout's or an older test's process) is waited for, then reported.
 */
export async function ensureGroupsRunCurrentCode(timeoutMs = 300_000): Promise<void> {
  const stable = () => waitFor('tf-notifier / tf-gateway-jobs to be stable', staleMembers, 120_000, 1000);
  const restarted = new Set<string>();
  for (const m of await stable()) {
    if (m.pid === null || m.pid !== servicesPid(m.app) || restarted.has(m.app)) continue;
    restarted.add(m.app);
    process.stderr.write(
      `[webhooks itest] services.sh ${m.app} (${m.clientId}) predates the webhook topics: bash scripts/services.sh restart ${m.app}\n`,
    );
    await exec('bash', ['scripts/services.sh', 'restart', m.app], { cwd: repoRoot, maxBuffer: 10 * 1024 * 1024 });
  }
  let left: StaleMember[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    left = await stable();
    if (left.length === 0) return;
    await new Promise((r) => setTimeout(r, 2000));
  }
  throw new Error(
    `consumer group members without the webhook topics: ${left.map((m) => `${m.app} ${m.clientId}`).join(', ')}. ` +
      'They keep those topics from being consumed; stop them or restart them onto the current code.',
  );
}

/** Creates a key on the gateway database with `tflow admin create-key`, as an operator would. */
export function createKey(tenant: string, scopes: string): string {
  return execFileSync(
    process.execPath,
    [join(repoRoot, 'bin/tflow.js'), 'admin', 'create-key', '--tenant', tenant, '--scopes', scopes],
    {
      cwd: '/',
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  ).trim();
}

/** JSON calls of the gateway's API (node:http, not fetch: see libs/client). */
export class Api {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  call(method: string, path: string, body?: unknown): Promise<HttpAnswer> {
    return send(`${this.baseUrl}${path}`, {
      method,
      headers: { 'X-API-Key': this.apiKey, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : Buffer.from(JSON.stringify(body)),
    });
  }

  get = (path: string) => this.call('GET', path);
  post = (path: string, body?: unknown) => this.call('POST', path, body);
}

/** Waits until the notifier's projection of an endpoint reached `version`. */
export function waitForProjectedEndpoint(db: Client, endpointId: string, version: number): Promise<true> {
  return waitFor(
    `notifier projection of endpoint ${endpointId} at v${version}`,
    async () => {
      const { rows } = await db.query(`SELECT version FROM notifier.webhook_endpoints WHERE id = $1`, [endpointId]);
      return rows.length > 0 && Number(rows[0].version) >= version;
    },
    120_000,
  );
}

/** Waits until the notifier group applied an event (its inbox row exists). */
export function waitForNotifierApplied(db: Client, eventId: string): Promise<true> {
  return waitFor(
    `tf-notifier to apply ${eventId}`,
    async () => {
      const { rows } = await db.query(
        `SELECT 1 FROM notifier.inbox WHERE consumer_group = 'tf-notifier' AND event_id = $1`,
        [eventId],
      );
      return rows.length > 0;
    },
    120_000,
  );
}

/** `t=..,v1=..[,v1=..]` → its v1 entries. */
export const v1Entries = (header: string | string[] | undefined): string[] =>
  String(header ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.startsWith('v1='));
