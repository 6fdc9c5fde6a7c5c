import { EventType, EventsByType, Topics, isPriority, laneTopic } from '@tf/contracts';
import { EntityManager } from 'typeorm';
import { currentTraceHeaders } from '../trace-headers';
import { OutboxMessage } from './outbox-message.entity';

/** The LISTEN/NOTIFY channel that wakes the relays of one service schema. */
export const outboxChannel = (schema: string): string => `tf_outbox_${schema}`;

/**
 * Appends events to the outbox inside the caller's transaction. Nothing reaches Kafka unless that
 * transaction commits; the NOTIFY is delivered at commit too, waking the relay at once.
 */
export class OutboxWriter {
  constructor(private readonly schema: string) {}

  /**
   * `topic` defaults to the event type's pipeline topic, in the lane of the job's priority
   * (spec.priority; events without a spec go to the normal lane). Tests override it.
   * `key`: the Kafka key, the job id unless the event's consumers want one job's events spread over
   * partitions (the transcoder's chunks: `<job_id>:<index>`).
   */
  async append<T extends EventType>(
    tx: EntityManager,
    type: T,
    event: EventsByType[T],
    topic: string = defaultTopicFor(type, event),
    key: string = event.job_id,
  ): Promise<void> {
    await tx.insert(OutboxMessage, {
      id: event.event_id,
      aggregatetype: 'job',
      aggregateid: key,
      type,
      topic,
      payload: event as never,
      headers: currentTraceHeaders(),
    });
    await tx.query('SELECT pg_notify($1, $2)', [outboxChannel(this.schema), type]);
  }
}

/** The event type's pipeline topic, in the lane of the job's priority (spec.priority; normal without a spec). */
export const defaultTopicFor = (type: EventType, event: object): string => laneTopic(Topics[type], priorityOf(event));

const priorityOf = (event: object): Parameters<typeof laneTopic>[1] => {
  const priority = (event as { spec?: { priority?: unknown } | null }).spec?.priority;
  return isPriority(priority) ? priority : 'normal';
};

/** The headers of a published event, by the relay or directly: its trace context, type and id. */
export const eventHeaders = (
  type: EventType,
  eventId: string,
  trace: Record<string, string>,
): Record<string, string> => ({
  ...trace,
  'tf-event-type': type,
  'tf-event-id': eventId,
});
