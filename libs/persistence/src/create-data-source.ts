import { Client } from 'pg';
import { DataSource, EntitySchema, MixedList } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { assertSchemaName, databaseUrl } from './database-config';
import { DatabasePoolOptions, databasePoolOptions } from './database-pool.env';

export interface ServiceDataSourceOptions {
  /** Postgres schema owned by the service (its tables, its outbox, its inbox). */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  url?: string;
  poolSize?: number;
}

/** The pool a service's DataSource gets: `poolSize` (10 by default) with the TF_DB_POOL_* settings. */
export const servicePoolOptions = (options: ServiceDataSourceOptions): DatabasePoolOptions =>
  databasePoolOptions(options.poolSize ?? 10);

/**
 * A DataSource bound to one service schema. Never `synchronize`: migrations own the DDL. `pool` is read
 * by the caller when it retries (PersistenceModule), so a bad value stops start-up at once.
 */
export function createServiceDataSource(
  options: ServiceDataSourceOptions,
  pool: DatabasePoolOptions = servicePoolOptions(options),
): DataSource {
  const schema = assertSchemaName(options.schema);
  return new DataSource({
    type: 'postgres',
    url: options.url ?? databaseUrl(),
    schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: ['error'],
    extra: { ...pool, options: `-c search_path=${schema}` },
  });
}

/**
 * Creates the schema, initializes the DataSource and runs pending migrations. An advisory lock keyed
 * by the schema serializes replicas that start together, so two instances never race on DDL.
 */
export async function initializeServiceDataSource(dataSource: DataSource): Promise<DataSource> {
  const pgOptions = dataSource.options as PostgresConnectionOptions;
  const schema = assertSchemaName(String(pgOptions.schema));
  const url = pgOptions.url ?? databaseUrl();
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [`tf-migrate:${schema}`]);
    await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    if (!dataSource.isInitialized) await dataSource.initialize();
    await dataSource.runMigrations();
  } finally {
    await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [`tf-migrate:${schema}`]).catch(() => undefined);
    await admin.end();
  }
  return dataSource;
}
