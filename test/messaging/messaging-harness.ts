import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { databaseUrl } from '@tf/persistence';
import { ServiceProcess, startTsProcess } from '../support/processes';
import { waitFor } from '../support/wait';

/** One isolated scenario: its own topic, consumer group and job ids. */
export class MessagingScenario {
  readonly run = randomUUID().slice(0, 8);
  readonly topic: string;
  readonly group: string;
  private readonly processes: ServiceProcess[] = [];

  constructor(name: string, readonly db: Client) {
    this.topic = `itest.${name}.${this.run}`;
    this.group = `itest-${name}-${this.run}`;
  }

  jobIds(n: number, prefix = 'job'): string[] {
    return Array.from({ length: n }, (_, i) => `${prefix}-${this.run}-${i}`);
  }

  async startConsumer(env: Record<string, string> = {}): Promise<ServiceProcess> {
    const p = startTsProcess('test/messaging/fixtures/probe-consumer.ts', { TF_TEST_TOPIC: this.topic, TF_TEST_GROUP: this.group, ...env });
    this.processes.push(p);
    await p.waitForOutput(/joined group/);
    return p;
  }

  startProducer(jobIds: string[], env: Record<string, string> = {}): ServiceProcess {
    const p = startTsProcess('test/messaging/fixtures/probe-producer.ts', { TF_TEST_TOPIC: this.topic, TF_TEST_JOB_IDS: jobIds.join(','), ...env });
    this.processes.push(p);
    return p;
  }

  async effects(jobIds: string[]): Promise<Array<{ job_id: string; applied: number; filename: string; pids: number[] }>> {
    const { rows } = await this.db.query(`SELECT job_id, applied, filename, pids FROM itest_consumer.effects WHERE job_id = ANY($1) ORDER BY job_id`, [jobIds]);
    return rows;
  }

  waitForEffects(jobIds: string[], timeoutMs = 90_000) {
    return waitFor(`${jobIds.length} effects`, async () => {
      const rows = await this.effects(jobIds);
      return rows.length === jobIds.length ? rows : undefined;
    }, timeoutMs);
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.kill()));
  }
}

export async function connectDb(): Promise<Client> {
  const db = new Client({ connectionString: databaseUrl() });
  await db.connect();
  return db;
}
