import { randomUUID } from 'node:crypto';
import { JobEntity } from '../../apps/gateway/src/jobs/job.entity';
import { JobsRepository } from '../../apps/gateway/src/jobs/jobs.repository';
import { GatewayDb, rand } from './jobs-harness';

// The status read's prepared statement (PreparedSelect) on the real Postgres: the same job as TypeORM's
// findOne reads, field for field, and no other tenant's.
describe('JobsRepository.findForTenant (prepared statement)', () => {
  let db: GatewayDb;
  const tenant = `itest-read-${rand()}`;

  beforeAll(async () => (db = await GatewayDb.open()));
  afterAll(() => db?.close());

  it('reads the row TypeORM reads, every column hydrated alike (jsonb, arrays, real, timestamps, nulls)', async () => {
    const job = await db.insertJob(tenant, { status: 'completed', labels: ['a', 'b c'] });
    await db.dataSource.getRepository(JobEntity).update(job.id, {
      progress: 42.5,
      completedAt: new Date('2026-12-05T20:00:00.123Z'),
      outputs: [{ kind: 'mp4', rendition: '360p', object: { bucket: 'outputs', key: `${job.id}/360p.mp4` } }] as never,
      error: null,
    });
    const repo = new JobsRepository(db.dataSource);
    const typeorm = await db.dataSource.getRepository(JobEntity).findOne({ where: { id: job.id, tenantId: tenant } });
    // Twice: the second runs the statement already prepared on the connection.
    for (let i = 0; i < 2; i++) {
      const prepared = await repo.findForTenant(job.id, tenant);
      expect(prepared).toBeInstanceOf(JobEntity);
      expect(prepared).toEqual(typeorm);
    }
    expect(typeorm).toMatchObject({ progress: 42.5, labels: ['a', 'b c'], status: 'completed', error: null });
    expect(typeorm!.completedAt!.toISOString()).toBe('2026-12-05T20:00:00.123Z');
  });

  it("answers null for another tenant's job and an unknown id", async () => {
    const job = await db.insertJob(tenant);
    const repo = new JobsRepository(db.dataSource);
    expect(await repo.findForTenant(job.id, `${tenant}-other`)).toBeNull();
    expect(await repo.findForTenant(randomUUID(), tenant)).toBeNull();
    expect(await repo.findForTenant('not-a-uuid', tenant)).toBeNull();
  });
});
