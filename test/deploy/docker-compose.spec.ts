import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { APPS, envVarsReadBy } from './compose-env';

// docker-compose.yml can't run here (no Docker engine), so this keeps it honest: it must name every
// app and give each one every environment variable that the app's code (and its libraries) reads.
const root = join(__dirname, '../..');
type Service = { image?: string; build?: unknown; command?: string[] | string; environment?: Record<string, string> };
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };

describe('docker-compose.yml', () => {
  it('describes the stack: Kafka, the schema registry, S3, Postgres, Redis', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['kafka', 'registry', 's3', 'postgres', 'redis']));
  });

  it.each(APPS)('runs %s from the one Dockerfile', (app) => {
    const service = compose.services[app];
    expect(service).toBeDefined();
    expect(JSON.stringify(service.build)).toContain('Dockerfile');
    expect(JSON.stringify(service.command)).toContain(`dist/apps/${app}/src/main.js`);
  });

  it.each(APPS)('gives %s every environment variable its code reads', (app) => {
    const env = compose.services[app].environment ?? {};
    const missing = [...envVarsReadBy(root, app)].filter(([name]) => !(name in env)).map(([name, file]) => `${name} (${file})`);
    expect(missing).toEqual([]);
  });
});
