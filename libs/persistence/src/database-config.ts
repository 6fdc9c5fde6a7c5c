import { requiredInProduction } from '@tf/config';

/** Connection settings, from TF_DATABASE_URL (defaults to the local stack's Postgres; required in production). */
export const DEFAULT_DATABASE_URL = 'postgres://transcodeflow:transcodeflow@127.0.0.1:5433/transcodeflow';

export const databaseUrl = (env: NodeJS.ProcessEnv = process.env): string =>
  requiredInProduction(env, 'TF_DATABASE_URL', DEFAULT_DATABASE_URL);

/** Each service keeps its tables in a Postgres schema of its own name: no service reads another's. */
export function assertSchemaName(schema: string): string {
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  return schema;
}
