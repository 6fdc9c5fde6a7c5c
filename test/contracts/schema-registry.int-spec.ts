import { randomUUID } from 'node:crypto';
import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { EventType, Topics, loadAvroSchema, subjectFor } from '@tf/contracts';
import { AvroCodec, schemaRegistryUrl } from '@tf/messaging';
import { request } from 'undici';

// The contracts in the real registry (Apicurio, Confluent-compatible API): every schema registers
// under <topic>-value with BACKWARD compatibility, and the registry refuses a change that would
// break consumers still reading with the old schema.
describe('schema registry contracts', () => {
  const registry = new SchemaRegistry({ host: schemaRegistryUrl() });
  const types = Object.keys(Topics) as EventType[];
  const avro = (schema: object) => ({ type: SchemaType.AVRO as const, schema: JSON.stringify(schema) });

  it.each(types)('%s registers under <topic>-value with BACKWARD compatibility', async (type) => {
    const id = await new AvroCodec().schemaIdFor(type);
    expect(id).toBeGreaterThan(0);
    const config = await request(`${schemaRegistryUrl()}/config/${encodeURIComponent(subjectFor(Topics[type]))}`).then(
      (r) => r.body.json(),
    );
    expect(config).toMatchObject({ compatibilityLevel: 'BACKWARD' });
  });

  it('refuses an incompatible change to a registered contract (a new field without a default)', async () => {
    await new AvroCodec().schemaIdFor('VideoUploaded');
    const schema = loadAvroSchema('VideoUploaded') as { fields: object[] };
    const breaking = {
      ...schema,
      fields: [
        ...schema.fields,
        { name: 'tenant_region', type: 'string', doc: 'no default: old events cannot be read' },
      ],
    };
    await expect(registry.register(avro(breaking), { subject: subjectFor(Topics.VideoUploaded) })).rejects.toThrow(
      /compatib|409/i,
    );
  });

  it('refuses changing a field type, and accepts an added field with a default (on a scratch subject)', async () => {
    const subject = `itest.contracts.${randomUUID().slice(0, 8)}-value`;
    const schema = loadAvroSchema('JobProgress') as { fields: Array<{ name: string; type: unknown }> };
    await registry.register(avro(schema), { subject, compatibility: COMPATIBILITY.BACKWARD });
    const retyped = {
      ...schema,
      fields: schema.fields.map((f) => (f.name === 'percent' ? { ...f, type: 'string' } : f)),
    };
    await expect(registry.register(avro(retyped), { subject })).rejects.toThrow(/compatib|409/i);
    const evolved = {
      ...schema,
      fields: [
        ...schema.fields,
        { name: 'eta_s', type: ['null', 'double'], default: null, doc: 'estimated seconds left' },
      ],
    };
    const { id } = await registry.register(avro(evolved), { subject });
    expect(id).toBeGreaterThan(0);
  });
});
