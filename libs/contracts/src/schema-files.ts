import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { EventType } from './topics';

/**
 * The repo's schemas/ folder. Found by walking up from this file, so it resolves the same from
 * sources (tests) and from dist/ (services); TF_SCHEMA_DIR overrides it in images.
 */
export function schemaDir(): string {
  if (process.env.TF_SCHEMA_DIR) return process.env.TF_SCHEMA_DIR;
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'schemas', 'VideoUploaded.avsc'))) return join(dir, 'schemas');
  }
  throw new Error(`schemas/ not found above ${__dirname}; set TF_SCHEMA_DIR`);
}

/** The Avro schema (parsed .avsc) of one event type. */
export function loadAvroSchema(type: EventType): Record<string, unknown> {
  return JSON.parse(readFileSync(join(schemaDir(), `${type}.avsc`), 'utf8')) as Record<string, unknown>;
}
