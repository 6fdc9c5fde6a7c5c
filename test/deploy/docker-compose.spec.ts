import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { APPS, envVarsReadBy } from './compose-env';

// docker-compose.yml can't run here (no Docker engine), so this keeps it honest: it must name every
// app and give each one every environment variable that the app's code (and its libraries) reads.
const root = join(__dirname, '../..');
type Service = {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string | number>;
  volumes?: string[];
  ports?: string[];
};
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};

describe('docker-compose.yml', () => {
  it('describes the stack: Kafka, the schema registry, S3, Postgres, Redis', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['kafka', 'registry', 's3', 'postgres', 'redis']),
    );
  });

  it.each(APPS)('runs %s from the one Dockerfile', (app) => {
    const service = compose.services[app];
    expect(service).toBeDefined();
    expect(JSON.stringify(service.build)).toContain('Dockerfile');
    expect(JSON.stringify(service.command)).toContain(`dist/apps/${app}/src/main.js`);
  });

  it.each([
    ['prometheus', 19090, '/etc/prometheus', 'deploy/prometheus'],
    ['alertmanager', 19093, '/etc/alertmanager', 'deploy/alertmanager'],
    ['grafana', 13000, '/etc/grafana/provisioning', 'deploy/grafana/provisioning'],
    ['grafana', 13000, '/var/lib/grafana/dashboards/transcode-flow', 'deploy/grafana/dashboards'],
  ])('runs %s on 127.0.0.1:%d with %s mounted from the repo', (name, port, target, source) => {
    const service = compose.services[name];
    expect(JSON.stringify(service.ports)).toContain(`"127.0.0.1:\${TF_STACK_${name.toUpperCase()}_PORT:-${port}}:`);
    expect(service.volumes).toContain(`./${source}:${target}:ro`);
  });

  it("points Prometheus at the compose config and Alertmanager at the stack's alertmanager.yml", () => {
    const prometheus = compose.services.prometheus.command as string[];
    expect(prometheus).toContain('--config.file=/etc/prometheus/prometheus-compose.yml');
    expect(statSync(join(root, 'deploy/prometheus/prometheus-compose.yml')).isFile()).toBe(true);
    expect(compose.services.alertmanager.command).toContain('--config.file=/etc/alertmanager/alertmanager.yml');
    expect(statSync(join(root, 'deploy/alertmanager/alertmanager.yml')).isFile()).toBe(true);
  });

  it("provisions Grafana with compose's Prometheus and the dashboards where its provider looks for them", () => {
    const provisioning = (dir: string) =>
      readdirSync(join(root, 'deploy/grafana/provisioning', dir))
        .filter((f) => f.endsWith('.yml'))
        .map((f) => parse(readFileSync(join(root, 'deploy/grafana/provisioning', dir, f), 'utf8')));
    const datasources = provisioning('datasources').flatMap((p: { datasources: { url: string }[] }) => p.datasources);
    const port = (compose.services.prometheus.ports ?? [])[0].split(':').pop();
    expect(datasources.map((d) => d.url)).toContain(`http://prometheus:${port}`);
    const paths = provisioning('dashboards').flatMap((p: { providers: { options: { path: string } }[] }) =>
      p.providers.map((provider) => provider.options.path),
    );
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths)
      expect(compose.services.grafana.volumes).toContain(`./deploy/grafana/dashboards:${path}:ro`);
  });

  it.each(APPS)('gives %s every environment variable its code reads', (app) => {
    const env = compose.services[app].environment ?? {};
    const missing = [...envVarsReadBy(root, app)]
      .filter(([name]) => !(name in env))
      .map(([name, file]) => `${name} (${file})`);
    expect(missing).toEqual([]);
  });
});

/** Every variable that is (part of) a secret, anywhere in the file: app settings and the servers' own. */
// A name that holds a secret (not a setting about one, such as TF_API_KEY_CACHE_TTL_S's lifetime in seconds).
const SECRET_NAME = /(SECRET|PASSWORD|API_KEY)(?!_CACHE_TTL_S)/;
const secretSettings = () =>
  Object.entries(compose.services).flatMap(([service, s]) =>
    Object.entries(s.environment ?? {})
      .filter(([name, value]) => SECRET_NAME.test(name) || /:\/\/[^/@]+:[^/@]+@/.test(String(value)))
      .map(([name, value]) => ({ at: `${service}.${name}`, value: String(value) })),
  );

describe('docker-compose.yml secrets', () => {
  it('finds the secrets it checks (keys, signing secrets, passwords, the database URL)', () => {
    const at = secretSettings().map((s) => s.at);
    expect(at).toEqual(
      expect.arrayContaining([
        'gateway.TF_BOOTSTRAP_API_KEY',
        'gateway.TF_PLAYBACK_SECRET',
        'notifier.TF_WEBHOOK_SECRET',
        'postgres.POSTGRES_PASSWORD',
        's3.ROOT_SECRET_KEY',
        'gateway.TF_DATABASE_URL',
        'validator.TF_S3_SECRET_KEY',
        'registry.APICURIO_DATASOURCE_PASSWORD',
        'grafana.GF_SECURITY_ADMIN_PASSWORD',
      ]),
    );
  });

  it('has no default for any secret: each is a ${VAR:?...} from the .env `npm run compose:env` writes', () => {
    const literal = secretSettings().filter(
      ({ value }) => !/\$\{[A-Z0-9_]+:\?[^}]*\}/.test(value) || /\$\{[A-Z0-9_]+:?-/.test(value),
    );
    expect(literal).toEqual([]);
  });

  it('runs every app with TF_ENV=production (the apps then refuse missing or example secrets themselves)', () => {
    for (const app of APPS) expect([app, compose.services[app].environment?.TF_ENV]).toEqual([app, 'production']);
  });

  it('npm run compose:env writes every variable compose requires, random, mode 600, and keeps them when run again', () => {
    const required = new Set(
      [
        ...readFileSync(join(root, 'docker-compose.yml'), 'utf8')
          .replace(/#.*$/gm, '')
          .matchAll(/\$\{([A-Z0-9_]+):\?/g),
      ].map((m) => m[1]),
    );
    const dir = mkdtempSync(join(tmpdir(), 'tf-compose-env-'));
    try {
      const file = join(dir, '.env');
      const read = () =>
        Object.fromEntries(
          readFileSync(file, 'utf8')
            .trim()
            .split('\n')
            .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
        );
      execFileSync('bash', [join(root, 'scripts/compose-env.sh'), file], { stdio: 'pipe' });
      const first = read();
      expect(Object.keys(first).sort()).toEqual([...required].sort());
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(first.TF_BOOTSTRAP_API_KEY).toMatch(/^tfk_[A-Za-z0-9_-]{43}$/);
      for (const [name, value] of Object.entries(first))
        if (name !== 'TF_BOOTSTRAP_API_KEY')
          expect([name, value]).toEqual([name, expect.stringMatching(/^[A-Za-z0-9_-]{43}$/)]);
      expect(new Set(Object.values(first)).size).toBe(Object.keys(first).length);
      execFileSync('bash', [join(root, 'scripts/compose-env.sh'), file], { stdio: 'pipe' });
      expect(read()).toEqual(first);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
