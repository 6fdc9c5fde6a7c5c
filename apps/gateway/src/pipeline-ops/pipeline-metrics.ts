import { Logger } from '@nestjs/common';
import { PipelineStatus } from '@tf/messaging';
import { metricsRegistry } from '@tf/observability';
import { Gauge, Registry } from 'prom-client';
import { LagCollectorElection } from './lag-collector-election';

/** A scrape does not wait longer than this for Kafka: an outage leaves the lag series out, not /metrics hanging. */
const READ_TIMEOUT_MS = 3_000;

/**
 * The Kafka metrics of the pipeline's consumer groups, read from Kafka at scrape time by the elected
 * replica only (the others export none of these series). The four gauges of one scrape share one
 * reading (prom-client collects them concurrently).
 */
export class PipelineMetrics {
  private readonly logger = new Logger(PipelineMetrics.name);
  private reading?: Promise<PipelineStatus | null>;

  constructor(
    private readonly snapshot: () => Promise<PipelineStatus>,
    private readonly election: LagCollectorElection,
    registry: Registry = metricsRegistry,
  ) {
    const gauge = <L extends string>(
      name: string,
      help: string,
      labelNames: readonly L[],
      fill: (g: Gauge<L>, s: PipelineStatus) => void,
    ) => {
      if (registry.getSingleMetric(name)) registry.removeSingleMetric(name);
      const read = () => this.read();
      return new Gauge<L>({
        name,
        help,
        labelNames,
        registers: [registry],
        async collect() {
          this.reset();
          const status = await read();
          if (status) fill(this, status);
        },
      });
    };
    gauge(
      'tf_kafka_consumer_lag_messages',
      'Messages written to a topic lane and not yet committed by the consumer group (exported by one gateway replica).',
      ['group', 'topic', 'lane'],
      (g, s) => {
        for (const group of s.groups)
          for (const topic of group.topics)
            for (const lane of topic.lanes)
              g.set({ group: group.group, topic: topic.topic, lane: lane.lane }, lane.lag);
      },
    );
    gauge('tf_kafka_consumer_group_members', 'Members (replicas) of the consumer group.', ['group'], (g, s) => {
      for (const group of s.groups) g.set({ group: group.group }, group.members);
    });
    gauge(
      'tf_kafka_consumed_offsets_total',
      'Offsets committed by the consumer group, summed over partitions and lanes: rate() is its throughput in messages per second.',
      ['group', 'topic'],
      (g, s) => {
        for (const group of s.groups)
          for (const topic of group.topics) g.set({ group: group.group, topic: topic.topic }, topic.committedOffset);
      },
    );
    gauge(
      'tf_dlq_depth_messages',
      "Messages parked on the consumer group's dead-letter topic (tf.dlq.<group>) and still retained by Kafka.",
      ['group'],
      (g, s) => {
        for (const group of s.groups) g.set({ group: group.group }, group.deadLetters.depth);
      },
    );
  }

  /**
   * At most READ_TIMEOUT_MS per scrape, the election's database check included: a stalled Postgres session or Kafka
   * leaves these series out of the scrape rather than hanging it (and marking the whole gateway down). A read still
   * running is shared by the scrapes that come meanwhile.
   */
  private async read(): Promise<PipelineStatus | null> {
    this.reading ??= this.readIfLeader().finally(() => (this.reading = undefined));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => {
        this.logger.warn(`Kafka lag not read: no answer within ${READ_TIMEOUT_MS} ms`);
        resolve(null);
      }, READ_TIMEOUT_MS);
    });
    try {
      return await Promise.race([this.reading, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async readIfLeader(): Promise<PipelineStatus | null> {
    try {
      if (!(await this.election.isLeader())) return null;
      return await this.snapshot();
    } catch (error) {
      this.logger.warn(`Kafka lag not read: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  }
}
