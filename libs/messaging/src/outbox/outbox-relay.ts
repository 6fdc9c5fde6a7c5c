import { Logger } from '@nestjs/common';
import { EventType } from '@tf/contracts';
import { CompressionTypes, Kafka, Partitioners, Producer } from 'kafkajs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AvroCodec } from '../avro-codec';
import { errorMessage } from '../errors';
import { outboxChannel } from './outbox-writer';

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
  private listener?: Client;
  private timer?: NodeJS.Timeout;
  private running = false;
  private draining?: Promise<void>;
  private wakeAgain = false;

  constructor(
    kafka: Kafka,
    private readonly dataSource: DataSource,
    private readonly codec: AvroCodec,
    private readonly options: OutboxRelayOptions,
  ) {
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  }

  async start(): Promise<void> {
    await this.producer.connect();
    this.running = true;
    await this.listen();
    this.timer = setInterval(() => this.wake(), this.options.pollIntervalMs ?? 2000);
    this.wake();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    await this.draining?.catch(() => undefined);
    await this.listener?.end().catch(() => undefined);
    await this.producer.disconnect();
  }

  /** Number of unsent rows: the outbox backlog metric. */
  async backlog(): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL`);
    return (row as { n: number }).n;
  }

  /** Drains until empty; a wake-up during a drain schedules one more pass instead of a parallel one. */
  wake(): void {
    if (!this.running) return;
    if (this.draining) {
      this.wakeAgain = true;
      return;
    }
    this.draining = this.drain()
      .catch((e) => this.logger.error(`outbox relay: ${errorMessage(e)}`))
      .finally(() => {
        this.draining = undefined;
        if (this.wakeAgain) {
          this.wakeAgain = false;
          this.wake();
        }
      });
  }

  private async drain(): Promise<void> {
    while (this.running && (await this.publishBatch()) > 0);
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
            headers: { ...row.headers, 'tf-event-type': row.type, 'tf-event-id': row.id },
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

  private async listen(): Promise<void> {
    const url = (this.dataSource.options as { url?: string }).url;
    this.listener = new Client({ connectionString: url });
    this.listener.on('notification', () => this.wake());
    // The poll keeps publishing if this connection drops; reconnecting is left to the next start.
    this.listener.on('error', (e) => this.logger.warn(`outbox listener: ${errorMessage(e)}`));
    await this.listener.connect();
    await this.listener.query(`LISTEN ${outboxChannel(this.options.schema)}`);
  }
}
