import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { JOB_ERROR_CODES } from '@tf/errors';
import { exportedMetricNames } from '../support/exported-metrics';
import { metricNames } from '../support/grafana-dashboards';
import { APPS } from './compose-env';

// deploy/prometheus and deploy/alertmanager: the configs are valid (promtool, amtool), every alert of the
// operations pack exists, carries severity, summary and a runbook link that docs/operations.md answers, and
// is proven by a `promtool test rules` case that fires it and one that does not. promtool comes with the
// Debian package `prometheus` (`bash scripts/stack.sh tools` installs it, as scripts/test.sh does).
const root = join(__dirname, '../..');
const deploy = join(root, 'deploy');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const tool = (cmd: string, args: string[]) =>
  execFileSync(cmd, args, { cwd: deploy, encoding: 'utf8', stdio: 'pipe', timeout: 120_000 });

const ALERTS = [
  'TfServiceDown',
  'TfConsumerLagGrowing',
  'TfJobFailureRateHigh',
  'TfMessageDeadLettered',
  'TfOutboxBacklogHigh',
  'TfOutboxOldestRowStale',
  'TfWebhookDeliveriesFailing',
  'TfApiLatencyHigh',
  'TfStageSlowerThanMedia',
  'TfTranscodeChunksFailing',
  'TfTranscodeChunkRunFailed',
  'TfApiKeyCacheFeedDown',
  'TfJobEventsFeedDown',
];

type Rule = {
  alert?: string;
  record?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
};
const ruleFiles = readdirSync(join(deploy, 'prometheus/rules')).filter((f) => f.endsWith('.yml'));
const rules: Rule[] = ruleFiles.flatMap((f) =>
  (parse(read(`deploy/prometheus/rules/${f}`)) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules),
);
const alerts = rules.filter((r): r is Rule & { alert: string } => r.alert !== undefined);

type AlertCase = { alertname: string; exp_alerts: unknown[] };
const testFiles = readdirSync(join(deploy, 'prometheus/tests')).filter((f) => f.endsWith('.test.yml'));
const alertCases: AlertCase[] = testFiles.flatMap((f) =>
  (parse(read(`deploy/prometheus/tests/${f}`)) as { tests: { alert_rule_test?: AlertCase[] }[] }).tests.flatMap(
    (t) => t.alert_rule_test ?? [],
  ),
);

/** GitHub's anchor of a Markdown heading. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
const operationsAnchors = new Set(
  [...read('docs/operations.md').matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1].replace(/`/g, ''))),
);

type ScrapeConfig = {
  job_name: string;
  static_configs?: { targets: string[] }[];
  dns_sd_configs?: { names: string[]; type: string; port: number }[];
};
type PromConfig = {
  rule_files: string[];
  alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
  scrape_configs: ScrapeConfig[];
};
const localConfig = parse(read('deploy/prometheus/prometheus.yml')) as PromConfig;
const composeConfig = parse(read('deploy/prometheus/prometheus-compose.yml')) as PromConfig;
const versions = new Map(
  read('scripts/stack/versions.env')
    .split('\n')
    .filter((line) => /^TF_STACK_[A-Z0-9_]+=/.test(line))
    .map((line) => line.split('=') as [string, string]),
);

describe('deploy/prometheus', () => {
  it.each(['prometheus.yml', 'prometheus-compose.yml'])(
    'promtool check config accepts %s and the rule files it loads',
    (file) => {
      expect(tool('promtool', ['check', 'config', `prometheus/${file}`])).toContain('SUCCESS');
    },
  );

  it.each(testFiles)('promtool test rules passes tests/%s', (file) => {
    expect(tool('promtool', ['test', 'rules', `prometheus/tests/${file}`])).toContain('SUCCESS');
  });

  it('defines every alert of the operations pack, and no other', () => {
    expect([...new Set(alerts.map((a) => a.alert))].sort()).toEqual([...ALERTS].sort());
  });

  it.each(ALERTS)('%s has a severity, a summary and a runbook section in docs/operations.md', (name) => {
    for (const rule of alerts.filter((a) => a.alert === name)) {
      expect(['critical', 'warning']).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary).toEqual(expect.any(String));
      const [path, anchor] = (rule.annotations?.runbook_url ?? '').split('#');
      expect(path).toBe('docs/operations.md');
      expect([name, anchor, operationsAnchors.has(anchor)]).toEqual([name, name.toLowerCase(), true]);
    }
  });

  it.each(ALERTS)('%s has a promtool case where it fires and one where it stays silent', (name) => {
    const cases = alertCases.filter((c) => c.alertname === name);
    expect(cases.some((c) => c.exp_alerts.length > 0)).toBe(true);
    expect(cases.some((c) => c.exp_alerts.length === 0)).toBe(true);
  });

  it("leaves out of the job failure rate exactly the clients' error codes (categories media and request)", () => {
    const clientCodes = Object.entries(JOB_ERROR_CODES)
      .filter(([, info]) => info.category === 'media' || info.category === 'request')
      .map(([code]) => code)
      .sort();
    const expr = alerts.find((a) => a.alert === 'TfJobFailureRateHigh')!.expr;
    const excluded = [...expr.matchAll(/error_code!~"([^"]+)"/g)].map((m) => m[1].split('|').sort());
    expect(excluded.length).toBeGreaterThan(0);
    for (const codes of excluded) expect(codes).toEqual(clientCodes);
  });

  it('scrapes the six services on the ports scripts/services.sh gives them, and alerts the stack Alertmanager', () => {
    const ports = Object.fromEntries(
      [...read('scripts/services.sh').matchAll(/\[([a-z]+)\]=(\d+)/g)].map((m) => [m[1], m[2]]),
    );
    const targets = Object.fromEntries(
      localConfig.scrape_configs.map((s) => [s.job_name, s.static_configs?.flatMap((c) => c.targets)]),
    );
    expect(targets).toEqual(Object.fromEntries(APPS.map((app) => [app, [`127.0.0.1:${ports[app]}`]])));
    expect(localConfig.alerting.alertmanagers[0].static_configs[0].targets).toEqual([
      `127.0.0.1:${versions.get('TF_STACK_ALERTMANAGER_PORT')}`,
    ]);
  });

  it("gives docker compose the same jobs and rules, each finding every replica of the app's compose service", () => {
    const compose = parse(read('docker-compose.yml'), { merge: true }) as {
      services: Record<string, { command?: string[]; environment?: Record<string, string> }>;
    };
    expect(composeConfig.rule_files).toEqual(localConfig.rule_files);
    expect(composeConfig.scrape_configs.map((s) => s.job_name)).toEqual(
      localConfig.scrape_configs.map((s) => s.job_name),
    );
    for (const scrape of composeConfig.scrape_configs) {
      const [sd] = scrape.dns_sd_configs ?? [];
      const service = compose.services[sd?.names[0]];
      expect([scrape.job_name, JSON.stringify(service?.command)]).toEqual([
        scrape.job_name,
        expect.stringContaining(`dist/apps/${scrape.job_name}/src/main.js`),
      ]);
      expect([scrape.job_name, sd.type, String(sd.port)]).toEqual([
        scrape.job_name,
        'A',
        service.environment?.TF_HTTP_PORT,
      ]);
    }
    expect(composeConfig.alerting.alertmanagers[0].static_configs[0].targets).toEqual(['alertmanager:9093']);
  });
});

describe('deploy/alertmanager', () => {
  it('amtool check-config accepts alertmanager.yml', () => {
    expect(tool('amtool', ['check-config', 'alertmanager/alertmanager.yml'])).toContain('SUCCESS');
  });

  it("routes every alert, resolutions too, to the webhook receiver on the stack's TF_STACK_ALERT_WEBHOOK_PORT", () => {
    const am = parse(read('deploy/alertmanager/alertmanager.yml')) as {
      route: { receiver: string; routes?: unknown[] };
      receivers: { name: string; webhook_configs?: { url: string; send_resolved?: boolean }[] }[];
    };
    expect(am.route.routes).toBeUndefined();
    const receiver = am.receivers.find((r) => r.name === am.route.receiver);
    expect(receiver?.webhook_configs).toEqual([
      { url: `http://127.0.0.1:${versions.get('TF_STACK_ALERT_WEBHOOK_PORT')}/alerts`, send_resolved: true },
    ]);
  });
});

describe('the configs the local stack runs (scripts/stack/common.sh render_config)', () => {
  const render = (file: string, env: Record<string, string>) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TF_STACK_')));
    const out = join(mkdtempSync(join(tmpdir(), 'tf-render-')), 'config.yml');
    execFileSync('bash', ['-c', 'source scripts/stack/common.sh && render_config "$0" "$1"', file, out], {
      cwd: root,
      env: { ...clean, TF_STACK_DIR: '/nonexistent/tf-stack', ...env },
    });
    return readFileSync(out, 'utf8');
  };

  it('are the repo files as they stand with the ports of versions.env', () => {
    expect(render('deploy/prometheus/prometheus.yml', {})).toBe(read('deploy/prometheus/prometheus.yml'));
    expect(render('deploy/alertmanager/alertmanager.yml', {})).toBe(read('deploy/alertmanager/alertmanager.yml'));
  });

  it('take a port overridden in the environment (a second stack beside a running one)', () => {
    const prometheus = parse(
      render('deploy/prometheus/prometheus.yml', { TF_STACK_ALERTMANAGER_PORT: '29093' }),
    ) as PromConfig;
    expect(prometheus.alerting.alertmanagers[0].static_configs[0].targets).toEqual(['127.0.0.1:29093']);
    expect(render('deploy/alertmanager/alertmanager.yml', { TF_STACK_ALERT_WEBHOOK_PORT: '29094' })).toContain(
      'url: http://127.0.0.1:29094/alerts',
    );
  });
});

describe('the metrics the alert rules read', () => {
  it('are all exported by the services (their code names them) or recorded by the rules themselves', () => {
    const known = exportedMetricNames();
    const recorded = new Set(rules.flatMap((r) => (r.record ? [r.record] : [])));
    const unknown = rules.flatMap((r) =>
      metricNames(r.expr)
        .filter((name) => !known.has(name) && !recorded.has(name))
        .map((name) => `${r.alert ?? r.record}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });
});
