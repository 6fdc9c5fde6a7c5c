import { randomUUID } from 'node:crypto';
import { AssignerProtocol, type Message } from 'kafkajs';
import { Client } from 'pg';
import { lanesOf, newEnvelope } from '@tf/contracts';
import { AvroCodec, createKafka, ensureTopics } from '@tf/messaging';
import { databaseUrl } from '@tf/persistence';
import { jobSpec } from '../../libs/testing/src/pipeline-events';
import { ServiceProcess, startTsProcess } from '../support/processes';
import { waitFor } from '../support/wait';

/** One isolated scenario: its own topic, consumer group and job ids. */
export class MessagingScenario {
  readonly run = randomUUID().slice(0, 8);
  readonly topic: string;
  readonly group: string;
  private readonly processes: ServiceProcess[] = [];
  private readonly codec = new AvroCodec();

  constructor(
    name: string,
    readonly db: Client,
  ) {
    this.topic = `itest.${name}.${this.run}`;
    this.group = `itest-${name}-${this.run}`;
  }

  /**
   * Creates the scenario's topic (its three lanes, the consumer's partition count) as the consumer
   * would at start-up. Lets a producer start beside the consumer, which reads from the beginning:
   * its sends would otherwise auto-create the topic with the broker's single partition.
   */
  async createTopic(): Promise<void> {
    await ensureTopics(createKafka(`itest-topics-${this.run}`), lanesOf(this.topic));
  }

  /** Waits until the scenario's group is stable with `members` members, each holding partitions. */
  async waitForStableGroup(members: number): Promise<void> {
    const admin = createKafka(`itest-group-${this.run}`).admin();
    await admin.connect();
    try {
      await waitFor(
        `${this.group} stable with ${members} members`,
        async () => {
          const [group] = (await admin.describeGroups([this.group])).groups;
          const ownsPartitions = (assignment: Buffer) =>
            Object.values(AssignerProtocol.MemberAssignment.decode(assignment)?.assignment ?? {}).some(
              (p) => p.length > 0,
            );
          return (
            group.state === 'Stable' &&
            group.members.length === members &&
            group.members.every((m) => ownsPartitions(m.memberAssignment))
          );
        },
        90_000,
        250,
      );
    } finally {
      await admin.disconnect();
    }
  }

  jobIds(n: number, prefix = 'job'): string[] {
    return Array.from({ length: n }, (_, i) => `${prefix}-${this.run}-${i}`);
  }

  /** A VideoUploaded of `jobId` (360p with HLS, no transcript) as the scenario's topic carries it (Avro). */
  encodeUpload(jobId: string, originalFilename = `${jobId}.mp4`): Promise<Buffer> {
    return this.codec.encode(
      'VideoUploaded',
      {
        ...newEnvelope(jobId),
        source: { bucket: 'b', key: 'k', bytes: 1, content_type: 'video/mp4' },
        original_filename: originalFilename,
        spec: jobSpec({ target_resolutions: ['360p'], enable_transcription: false }),
      },
      this.topic,
    );
  }

  /** Sends `messages` to the scenario's topic, as they are (keys, partitions, headers), with a producer of its own. */
  async send(messages: Message[]): Promise<void> {
    const producer = createKafka(`itest-send-${this.run}`).producer();
    await producer.connect();
    try {
      await producer.send({ topic: this.topic, messages });
    } finally {
      await producer.disconnect();
    }
  }

  async startConsumer(env: Record<string, string> = {}): Promise<ServiceProcess> {
    const p = startTsProcess('test/messaging/fixtures/probe-consumer.ts', {
      TF_TEST_TOPIC: this.topic,
      TF_TEST_GROUP: this.group,
      ...env,
    });
    this.processes.push(p);
    await p.waitForOutput(/joined group/);
    return p;
  }

  startProducer(jobIds: string[], env: Record<string, string> = {}): ServiceProcess {
    const p = startTsProcess('test/messaging/fixtures/probe-producer.ts', {
      TF_TEST_TOPIC: this.topic,
      TF_TEST_JOB_IDS: jobIds.join(','),
      ...env,
    });
    this.processes.push(p);
    return p;
  }

  async effects(
    jobIds: string[],
  ): Promise<Array<{ job_id: string; applied: number; filename: string; pids: number[] }>> {
    const { rows } = await this.db.query(
      `SELECT job_id, applied, filename, pids FROM itest_consumer.effects WHERE job_id = ANY($1) ORDER BY job_id`,
      [jobIds],
    );
    return rows;
  }

  waitForEffects(jobIds: string[], timeoutMs = 90_000) {
    return waitFor(
      `${jobIds.length} effects`,
      async () => {
        const rows = await this.effects(jobIds);
        return rows.length === jobIds.length ? rows : undefined;
      },
      timeoutMs,
    );
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
