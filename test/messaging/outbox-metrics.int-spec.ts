import { randomUUID } from 'node:crypto';
import { AvroCodec, OutboxRelay, createKafka, messagingEntities, messagingMigrations } from '@tf/messaging';
import { createServiceDataSource, initializeServiceDataSource } from '@tf/persistence';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { registerOutboxGauges } from '../../libs/messaging/src/outbox/outbox-metrics';

const gaugeValue = async (registry: Registry, name: string): Promise<number> =>
  Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(await registry.metrics())?.[1]);

describe('outbox gauges on a real outbox table', () => {
  const schema = `itest_outbox_${randomUUID().slice(0, 8)}`;
  let dataSource: DataSource;
  let relay: OutboxRelay;

  beforeAll(async () => {
    dataSource = await initializeServiceDataSource(
      createServiceDataSource({ schema, entities: messagingEntities, migrations: messagingMigrations, poolSize: 2 }),
    );
    // Never started: the rows stay unsent until the test marks them.
    relay = new OutboxRelay(createKafka(`itest-outbox-${schema}`), dataSource, new AvroCodec(), { schema });
  });
  afterAll(async () => {
    await dataSource?.query(`DROP SCHEMA ${schema} CASCADE`);
    await dataSource?.destroy();
  });

  const insert = (ageSeconds: number) =>
    dataSource.query(
      `INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, payload, created_at)
       VALUES ($1, 'job', 'j1', 'JobProgress', 'tf.job.progress', '{}'::jsonb, now() - make_interval(secs => $2))`,
      [randomUUID(), ageSeconds],
    );

  it('tf_outbox_oldest_age_seconds is the age of the oldest unsent row, 0 once everything is sent; the backlog counts them', async () => {
    const registry = new Registry();
    registerOutboxGauges(relay, registry);
    expect(await gaugeValue(registry, 'tf_outbox_oldest_age_seconds')).toBe(0);
    expect(await gaugeValue(registry, 'tf_outbox_backlog')).toBe(0);

    await insert(120);
    await insert(5);
    expect(await gaugeValue(registry, 'tf_outbox_backlog')).toBe(2);
    const age = await gaugeValue(registry, 'tf_outbox_oldest_age_seconds');
    expect(age).toBeGreaterThanOrEqual(120);
    expect(age).toBeLessThan(3600);

    await dataSource.query(`UPDATE outbox SET sent_at = now() WHERE seq = (SELECT min(seq) FROM outbox)`);
    const younger = await gaugeValue(registry, 'tf_outbox_oldest_age_seconds');
    expect(younger).toBeGreaterThanOrEqual(5);
    expect(younger).toBeLessThan(120);

    await dataSource.query(`UPDATE outbox SET sent_at = now()`);
    expect(await gaugeValue(registry, 'tf_outbox_oldest_age_seconds')).toBe(0);
    expect(await gaugeValue(registry, 'tf_outbox_backlog')).toBe(0);
  });
});
