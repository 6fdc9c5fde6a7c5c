import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { EventType, EventsByType, Topics, loadAvroSchema, subjectFor } from '@tf/contracts';
import { schemaRegistryUrl } from './kafka-config';

/**
 * Avro in the Confluent wire format (magic byte, 4-byte schema id, body) through the schema
 * registry. Subjects follow TopicNameStrategy and are registered with BACKWARD compatibility.
 */
export class AvroCodec {
  private readonly registry: SchemaRegistry;
  private readonly schemaIds = new Map<string, Promise<number>>();

  constructor(host = schemaRegistryUrl()) {
    this.registry = new SchemaRegistry({ host });
  }

  /**
   * Registers (or finds) the schema of `type` under the subject of the topic it is written to;
   * idempotent and cached per process.
   */
  schemaIdFor(type: EventType, topic: string = Topics[type]): Promise<number> {
    const subject = subjectFor(topic);
    let id = this.schemaIds.get(subject);
    if (!id) {
      id = this.registry
        .register(
          { type: SchemaType.AVRO, schema: JSON.stringify(loadAvroSchema(type)) },
          { subject, compatibility: COMPATIBILITY.BACKWARD },
        )
        .then((r) => r.id);
      id.catch(() => this.schemaIds.delete(subject));
      this.schemaIds.set(subject, id);
    }
    return id;
  }

  async encode<T extends EventType>(type: T, event: EventsByType[T], topic: string = Topics[type]): Promise<Buffer> {
    return this.registry.encode(await this.schemaIdFor(type, topic), event);
  }

  /** Decodes with the writer's schema, fetched by the id embedded in the message. */
  async decode<T = unknown>(buffer: Buffer): Promise<T> {
    return (await this.registry.decode(buffer)) as T;
  }
}
