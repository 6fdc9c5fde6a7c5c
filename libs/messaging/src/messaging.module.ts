import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { waitForDependency } from '@tf/observability';
import { hostname } from 'node:os';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { AvroCodec } from './avro-codec';
import { consumerConfigFromEnv } from './consumer-config';
import { createKafka, kafkaSessionTimeoutMs } from './kafka-config';
import { registerOutboxGauges } from './outbox/outbox-metrics';
import { OutboxRelay } from './outbox/outbox-relay';
import { OutboxWriter } from './outbox/outbox-writer';
import { retryPolicyFromEnv } from './retry-policy';
import { durableRetryConfigFromEnv } from './retry';
import { ensureTopics } from './topics-admin';
import { MessageOutcomeEvents } from './message-outcomes';
import { KafkaAvroTransport } from './transport/kafka-avro.transport';
import { CONSUMER_TRANSPORT } from '@tf/runtime';

export interface MessagingOptions {
  /** Service name: the Postgres schema of its outbox/inbox and the Kafka client id. */
  service: string;
  /** Consumer group of the stage; services that only produce leave it out. */
  groupId?: string;
  /** What the group emits when it gives up on a message or parks one for later (libs/stage's StageModule sets them). */
  outcomes?: MessageOutcomeEvents;
  /**
   * Messages this instance handles at once (different jobs in parallel, even in one partition);
   * default 1. TF_CONSUMER_CONCURRENCY overrides it. CPU-bound stages keep it at 1 or 2.
   */
  concurrency?: number;
  /** Higher priority lanes first (default true); off for a group whose work takes milliseconds (KafkaAvroTransportOptions.prioritize). */
  prioritize?: boolean;
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
export const KAFKA = Symbol('KAFKA');

/** Runs the outbox relay for the lifetime of the app, and exposes its backlog and oldest row's age as metrics. */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly relay: OutboxRelay;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    dataSource: DataSource,
    codec: AvroCodec,
    @Inject(MESSAGING_OPTIONS) options: MessagingOptions,
  ) {
    this.relay = new OutboxRelay(kafka, dataSource, codec, { schema: options.service });
    registerOutboxGauges(this.relay);
  }

  async onApplicationBootstrap(): Promise<void> {
    await waitForDependency('Kafka', () => ensureTopics(this.kafka));
    await this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}

/** Kafka, the Avro codec, the outbox (writer + relay) and, for consumers, the Nest transport. */
@Global()
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        { provide: KAFKA, useFactory: () => createKafka(`${options.service}-${hostname()}-${process.pid}`) },
        { provide: AvroCodec, useFactory: () => new AvroCodec() },
        { provide: OutboxWriter, useFactory: () => new OutboxWriter(options.service) },
        OutboxRelayService,
        // bootstrapService (libs/runtime) connects whatever is provided here as the app's consumer.
        { provide: CONSUMER_TRANSPORT, useExisting: KafkaAvroTransport },
        {
          provide: KafkaAvroTransport,
          inject: [KAFKA, AvroCodec, DataSource, OutboxWriter],
          useFactory: (kafka: Kafka, codec: AvroCodec, dataSource: DataSource, outbox: OutboxWriter) =>
            new KafkaAvroTransport({
              kafka,
              groupId: options.groupId ?? `tf-${options.service}`,
              codec,
              dataSource,
              outbox,
              retry: retryPolicyFromEnv(),
              durableRetry: durableRetryConfigFromEnv(),
              outcomes: options.outcomes,
              consumer: consumerConfigFromEnv(options.concurrency ?? 1),
              prioritize: options.prioritize,
              sessionTimeoutMs: kafkaSessionTimeoutMs(),
            }),
        },
      ],
      exports: [
        KAFKA,
        AvroCodec,
        OutboxWriter,
        OutboxRelayService,
        KafkaAvroTransport,
        CONSUMER_TRANSPORT,
        MESSAGING_OPTIONS,
      ],
    };
  }
}
