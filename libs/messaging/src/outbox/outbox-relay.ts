import { Logger } from '@nestjs/common';
import { EventType } from '@tf/contracts';
import { CompressionTypes, Kafka, Partitioners, Producer } from 'kafkajs';
import { NotifiedDrainLoop } from '@tf/persistence';
import { DataSource } from 'typeorm';
import { AvroCodec } from '../avro-codec';
import { eventHeaders, outboxChannel } from './outbox-writer';

export interface OutboxRelayOptions {
  schema: string;
  batchSize?: number;
  /** Fallback poll, for a missed NOTIFY (e.g. the LISTEN connection was re-established). */
  pollIntervalMs?: number;
  /** Test hook: runs after the batch was produced and before it is marked sent. */
  afterProduce?: (ids: string[]) => Promise<void> | void;
}

interface ClaimedRow {
  id: string;
  aggregateid: string;
  type: EventType;
  topic: string;
  payload: Record<string, unknown>;
  headers: Record<string, string>;
}

/**
 * Publishes outbox rows with an idempotent producer and marks them sent. Rows are claimed with
 * FOR UPDATE SKIP LOCKED inside a transaction, so several relays never claim the same row; a relay
 * that dies after producing and before marking leaves its rows to be re-published (at-least-once),
 * and consumers' inboxes turn that into exactly-once state changes.
 */
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly producer: Producer;
  private readonly loop: NotifiedDrainLoop;

  constructor(
    kafka: Kafka,
    private readonly dataSource: DataSource,
    private readonly codec: AvroCodec,
    private readonly options: OutboxRelayOptions,
  ) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.loop = new NotifiedDrainLoop({
      url: (dataSource.options as { url: string }).url,
      channel: outboxChannel(options.schema),
      pollIntervalMs: options.pollIntervalMs ?? 2000,
      drainBatch: () => this.publishBatch(),
      logger: this.logger,
    });
  }

  async start(): Promise<void> {
    await this.producer.connect();
    await this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await this.producer.disconnect();
  }

  /** Number of unsent rows: the outbox backlog metric. */
  async backlog(): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL`);
    return (row as { n: number }).n;
  }

  /** Seconds since the oldest unsent row was written (0 when none waits): the first in publication order, through the unsent index. */
  async oldestUnsentAgeSeconds(): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS age
         FROM (SELECT created_at FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT 1) oldest`,
    );
    return Math.max(0, (row as { age: number }).age);
  }

  wake(): void {
    this.loop.wake();
  }

  /** Claims, produces and marks one batch in one transaction. Returns how many rows it published. */
  async publishBatch(): Promise<number> {
    return this.dataSource.transaction(async (tx) => {
      const rows: ClaimedRow[] = await tx.query(
        `SELECT id, aggregateid, type, topic, payload, headers FROM outbox
          WHERE sent_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.options.batchSize ?? 100],
      );
      if (rows.length === 0) return 0;
      const messages = await Promise.all(
        rows.map(async (row) => ({
          topic: row.topic,
          message: {
            key: row.aggregateid,
            value: await this.codec.encode(row.type, row.payload as never, row.topic),
            headers: eventHeaders(row.type, row.id, row.headers),
          },
        })),
      );
      const byTopic = new Map<string, (typeof messages)[number]['message'][]>();
      for (const m of messages) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m.message]);
      await this.producer.sendBatch({
        acks: -1,
        compression: CompressionTypes.None,
        topicMessages: [...byTopic].map(([topic, msgs]) => ({ topic, messages: msgs })),
      });
      await this.options.afterProduce?.(rows.map((r) => r.id));
      await tx.query(`UPDATE outbox SET sent_at = now() WHERE id = ANY($1::uuid[])`, [rows.map((r) => r.id)]);
      return rows.length;
    });
  }
}
