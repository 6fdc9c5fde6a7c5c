import { databasePoolOptions } from './database-pool.env';

describe('databasePoolOptions', () => {
  it('keeps two connections open (with TCP keep-alive) and closes the rest after a minute idle by default', () => {
    expect(databasePoolOptions(10, {})).toEqual({ max: 10, min: 2, idleTimeoutMillis: 60_000, keepAlive: true });
  });

  it('never keeps more open than the pool holds', () => {
    expect(databasePoolOptions(3, { TF_DB_POOL_MIN: '8' })).toMatchObject({ max: 3, min: 3 });
  });

  it('stops start-up on a value that is not a count, naming the variable', () => {
    expect(() => databasePoolOptions(10, { TF_DB_POOL_MIN: 'two' })).toThrow(/TF_DB_POOL_MIN/);
    expect(() => databasePoolOptions(10, { TF_DB_POOL_IDLE_TIMEOUT_MS: '5' })).toThrow(/TF_DB_POOL_IDLE_TIMEOUT_MS/);
  });
});
