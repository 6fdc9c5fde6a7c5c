import { BaseRpcContext } from '@nestjs/microservices';
import type { IHeaders } from 'kafkajs';
import type { EntityManager } from 'typeorm';
import type { Inbox } from '../inbox/inbox';
import type { OutboxWriter } from '../outbox/outbox-writer';

export interface KafkaAvroMessageMeta {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: IHeaders;
  attempt: number;
  consumerGroup: string;
  eventId: string;
}

export interface KafkaAvroTools {
  inbox: Inbox;
  outbox: OutboxWriter;
  heartbeat: () => Promise<void>;
  /** Fires when the instance stops and the message is handed back (see KafkaAvroContext.signal). */
  signal: AbortSignal;
}

/** What a handler gets with `@Ctx()`: the message coordinates and the exactly-once helpers. */
export class KafkaAvroContext extends BaseRpcContext<[KafkaAvroMessageMeta, KafkaAvroTools]> {
  get meta(): KafkaAvroMessageMeta {
    return this.args[0];
  }

  get outbox(): OutboxWriter {
    return this.args[1].outbox;
  }

  /** Whether this consumer group already applied the event (a cheap guard before heavy work). */
  alreadyProcessed(): Promise<boolean> {
    return this.args[1].inbox.hasProcessed(this.meta.eventId);
  }

  /**
   * Applies the event's state change, its inbox row and its outgoing events in one transaction.
   * Resolves false when a duplicate delivery had already been applied.
   */
  processOnce(apply: (tx: EntityManager, outbox: OutboxWriter) => Promise<void>): Promise<boolean> {
    return this.args[1].inbox.processOnce(this.meta.eventId, (tx) => apply(tx, this.args[1].outbox));
  }

  /**
   * Aborted when the instance is shutting down and the grace period for running messages is over:
   * long work (ffmpeg, Whisper) should stop at once, e.g. `JobCancellations.run(jobId, work, ctx.signal)`.
   * The message is then left uncommitted and another member of the group handles it again.
   */
  get signal(): AbortSignal {
    return this.args[1].signal;
  }

  /** Handlers may call this too; the transport already heartbeats on a timer. */
  heartbeat(): Promise<void> {
    return this.args[1].heartbeat();
  }
}
