import { EnvInt, readEnv } from '@tf/config';

/**
 * The connection pool every service's DataSource gets (create-data-source.ts). A new Postgres connection
 * costs 9–23 ms here (TCP, SCRAM-SHA-256, the search_path option) against ≈ 0.5 ms for a query on an
 * open one; pg closes an idle connection after 10 s by default, so a pipeline whose events come seconds
 * apart paid one at the relay and one at the consumer on most hops (bench/README.md, "Event hops").
 */
class DatabasePoolEnv {
  /** Connections kept open however long they idle (never more than the pool's size). */
  @EnvInt({ min: 0, max: 100 }) TF_DB_POOL_MIN = 2;
  /** How long a connection beyond TF_DB_POOL_MIN may idle before it is closed. */
  @EnvInt({ min: 1_000, max: 3_600_000 }) TF_DB_POOL_IDLE_TIMEOUT_MS = 60_000;
}

export interface DatabasePoolOptions {
  max: number;
  min: number;
  idleTimeoutMillis: number;
  /** TCP keep-alive: a connection kept open through a quiet hour must not be dropped silently by a NAT or balancer. */
  keepAlive: true;
}

/** pg-pool's settings for a pool of `max` connections. */
export function databasePoolOptions(max: number, env: NodeJS.ProcessEnv = process.env): DatabasePoolOptions {
  const read = readEnv(DatabasePoolEnv, env);
  return {
    max,
    min: Math.min(read.TF_DB_POOL_MIN, max),
    idleTimeoutMillis: read.TF_DB_POOL_IDLE_TIMEOUT_MS,
    keepAlive: true,
  };
}
