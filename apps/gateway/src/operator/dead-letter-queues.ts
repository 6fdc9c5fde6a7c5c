import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import {
  AvroCodec,
  DeadLetter,
  DeadLetterQueue,
  KAFKA,
  ReadDeadLettersOptions,
  listDeadLetterQueues,
  readDeadLetters,
  redeliverDeadLetter,
} from '@tf/messaging';
import { Admin, Kafka, Partitioners, Producer } from 'kafkajs';
import type { DecodedEnvelope } from './dead-letter-replay';

/**
 * The dead-letter topics as the gateway reaches them (Kafka's admin API, a reader that commits
 * nothing, an idempotent producer for redeliveries), connected on first use: an operator's route
 * is rare, so a replica that never serves one opens nothing.
 */
@Injectable()
export class DeadLetterQueues implements OnApplicationShutdown {
  private admin?: Promise<Admin>;
  private producer?: Promise<Producer>;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly codec: AvroCodec,
  ) {}

  async list(): Promise<DeadLetterQueue[]> {
    return listDeadLetterQueues(await this.adminClient());
  }

  async read(group: string, options: ReadDeadLettersOptions): Promise<DeadLetter[]> {
    return readDeadLetters(this.kafka, await this.adminClient(), group, options);
  }

  /** The dead letter's envelope; null when its bytes do not decode (the very reason some are parked). */
  async envelopeOf(deadLetter: DeadLetter): Promise<DecodedEnvelope | null> {
    if (!deadLetter.value) return null;
    try {
      const event = await this.codec.decode<{ event_id?: unknown; job_id?: unknown }>(deadLetter.value);
      return event.event_id && event.job_id ? { event_id: String(event.event_id), job_id: String(event.job_id) } : null;
    } catch {
      return null;
    }
  }

  async redeliver(deadLetter: DeadLetter): Promise<boolean> {
    return redeliverDeadLetter(await this.producerClient(), deadLetter);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([
      this.admin?.then((a) => a.disconnect()).catch(() => undefined),
      this.producer?.then((p) => p.disconnect()).catch(() => undefined),
    ]);
  }

  private adminClient(): Promise<Admin> {
    this.admin ??= connected(this.kafka.admin(), () => (this.admin = undefined));
    return this.admin;
  }

  private producerClient(): Promise<Producer> {
    this.producer ??= connected(
      this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
      }),
      () => (this.producer = undefined),
    );
    return this.producer;
  }
}

/** Connects a kafkajs client; a failed connection is forgotten (`forget`), so the next call tries again. */
async function connected<T extends { connect(): Promise<void> }>(client: T, forget: () => void): Promise<T> {
  try {
    await client.connect();
    return client;
  } catch (error) {
    forget();
    throw error;
  }
}
