import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

// scripts/stack/versions.env is the one place for the servers' versions and ports: the local stack's scripts
// read it, and docker-compose.yml takes them as ${TF_STACK_*:-default} whose defaults must equal it (so that
// a plain `docker compose up`, with no --env-file, runs the same versions).
const root = join(__dirname, '../..');
const versions = new Map(
  readFileSync(join(root, 'scripts/stack/versions.env'), 'utf8')
    .split('\n')
    .filter((line) => /^TF_STACK_[A-Z0-9_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as [string, string]),
);
const composeText = readFileSync(join(root, 'docker-compose.yml'), 'utf8').replace(/#.*$/gm, '');
const references = [...composeText.matchAll(/\$\{(TF_STACK_[A-Z0-9_]+)(:-([^}]*))?\}/g)].map((m) => ({
  name: m[1],
  fallback: m[3],
}));

describe('scripts/stack/versions.env', () => {
  it('holds plain NAME=value lines that bash and compose read alike', () => {
    for (const [name, value] of versions)
      expect([name, value]).toEqual([name, expect.stringMatching(/^[A-Za-z0-9._-]+$/)]);
    expect([...versions.keys()]).toEqual(
      expect.arrayContaining([
        'TF_STACK_KAFKA_VERSION',
        'TF_STACK_APICURIO_VERSION',
        'TF_STACK_VERSITYGW_VERSION',
        'TF_STACK_POSTGRES_VERSION',
        'TF_STACK_REDIS_VERSION',
        'TF_STACK_KAFKA_PORT',
        'TF_STACK_REGISTRY_PORT',
        'TF_STACK_S3_PORT',
        'TF_STACK_PG_PORT',
        'TF_STACK_REDIS_PORT',
        'TF_STACK_PROMETHEUS_VERSION',
        'TF_STACK_ALERTMANAGER_VERSION',
        'TF_STACK_GRAFANA_VERSION',
        'TF_STACK_PROMETHEUS_PORT',
        'TF_STACK_ALERTMANAGER_PORT',
        'TF_STACK_GRAFANA_PORT',
      ]),
    );
  });

  it("gives docker-compose.yml every server's version and published port, with defaults equal to the file", () => {
    expect(references.length).toBeGreaterThan(0);
    const drift = references.filter(
      ({ name, fallback }) => versions.get(name) === undefined || fallback !== versions.get(name),
    );
    expect(drift).toEqual([]);
    const used = new Set(references.map((r) => r.name));
    const versionNames = [...versions.keys()].filter((name) => name.endsWith('_VERSION'));
    expect(versionNames.filter((name) => !used.has(name))).toEqual([]);
  });

  it('leaves no server image of docker-compose.yml on a version of its own', () => {
    const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
      services: Record<string, { image?: string }>;
    };
    const images = Object.entries(compose.services).filter(([, s]) => s.image !== undefined);
    // Kafka, the registry, S3, Postgres, Redis; Prometheus, Alertmanager, Grafana.
    expect(images.length).toBe(8);
    for (const [service, s] of images)
      expect([service, s.image]).toEqual([service, expect.stringMatching(/:\$\{TF_STACK_[A-Z]+_VERSION:-[^}]+\}$/)]);
  });

  it("is what the stack scripts run: stack.sh env names its ports, Kafka's pom takes its version from it", () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TF_STACK_')));
    const out = execFileSync('bash', [join(root, 'scripts/stack.sh'), 'env'], {
      env: { ...env, TF_STACK_DIR: '/nonexistent/tf-stack' },
      encoding: 'utf8',
    });
    expect(out).toContain(`TF_KAFKA_BROKERS=127.0.0.1:${versions.get('TF_STACK_KAFKA_PORT')}\n`);
    expect(out).toContain(`TF_SCHEMA_REGISTRY_URL=http://127.0.0.1:${versions.get('TF_STACK_REGISTRY_PORT')}/`);
    expect(out).toContain(`@127.0.0.1:${versions.get('TF_STACK_PG_PORT')}/`);
    expect(out).toContain(`TF_S3_ENDPOINT=http://127.0.0.1:${versions.get('TF_STACK_S3_PORT')}\n`);
    expect(out).toContain(`TF_REDIS_URL=redis://127.0.0.1:${versions.get('TF_STACK_REDIS_PORT')}\n`);
    expect(out).toContain(`TF_PROMETHEUS_URL=http://127.0.0.1:${versions.get('TF_STACK_PROMETHEUS_PORT')}\n`);
    expect(out).toContain(`TF_ALERTMANAGER_URL=http://127.0.0.1:${versions.get('TF_STACK_ALERTMANAGER_PORT')}\n`);
    // An override in the environment wins, as it does in compose.
    const moved = execFileSync('bash', [join(root, 'scripts/stack.sh'), 'env'], {
      env: { ...env, TF_STACK_DIR: '/nonexistent/tf-stack', TF_STACK_KAFKA_PORT: '19092' },
      encoding: 'utf8',
    });
    expect(moved).toContain('TF_KAFKA_BROKERS=127.0.0.1:19092\n');
    const pom = readFileSync(join(root, 'scripts/stack/kafka/pom.xml'), 'utf8');
    expect(pom).not.toMatch(/<kafka\.version>/);
    expect(readFileSync(join(root, 'scripts/stack/kafka.sh'), 'utf8')).toContain(
      '-Dkafka.version="$TF_STACK_KAFKA_VERSION"',
    );
  });
});
