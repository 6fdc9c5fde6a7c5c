import { createServiceDataSource } from '@tf/persistence';

/** The pool keeps TF_DB_POOL_MIN connections open past the idle timeout: a quiet pipeline's next event finds one. */
describe('service DataSource pool', () => {
  const env = { ...process.env };
  afterAll(() => (process.env = env));

  it('closes idle connections beyond TF_DB_POOL_MIN and keeps that many open', async () => {
    process.env.TF_DB_POOL_MIN = '2';
    process.env.TF_DB_POOL_IDLE_TIMEOUT_MS = '1000';
    const dataSource = createServiceDataSource({ schema: 'public', entities: [], migrations: [], poolSize: 6 });
    await dataSource.initialize();
    try {
      const pool = (dataSource.driver as unknown as { master: { totalCount: number; idleCount: number } }).master;
      // Five queries at once open five connections.
      await Promise.all(Array.from({ length: 5 }, () => dataSource.query('SELECT pg_sleep(0.05)')));
      expect(pool.totalCount).toBe(5);
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(pool.totalCount).toBe(2);
      expect(pool.idleCount).toBe(2);
    } finally {
      await dataSource.destroy();
    }
  });
});
