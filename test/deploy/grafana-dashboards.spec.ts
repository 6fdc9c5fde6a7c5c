import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  dataPanels,
  expandVariables,
  GRAFANA_DIR,
  GrafanaDashboard,
  loadDashboards,
  metricNames,
  promqlSyntaxErrors,
  provisionedPrometheus,
  undefinedVariables,
} from '../support/grafana-dashboards';
import { exportedMetricNames } from '../support/exported-metrics';

// Grafana can't run here: this reads deploy/grafana/ as Grafana's provisioning would, and holds every dashboard
// to the metrics the code really exports. test/ops/dashboards.e2e-spec.ts runs the same queries on live data.
const root = join(__dirname, '../..');
const dashboards = loadDashboards();
const files = dashboards.map((d) => d.file);
const byFile = new Map(dashboards.map((d) => [d.file, d.dashboard]));
const datasource = provisionedPrometheus();
const SOME_RANGE = { rateInterval: '20s', interval: '15s', range: '3600s' };

const queries = (dashboard: GrafanaDashboard) =>
  dataPanels(dashboard).flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({ panel: panel.title, refId: target.refId, expr: target.expr ?? '' })),
  );

/** The consumer groups of the product: each app's MessagingModule/StageModule, `tf-<service>` unless it names one. */
function consumerGroups(): string[] {
  const apps = join(root, 'apps');
  return readdirSync(apps)
    .flatMap((app) =>
      readdirSync(join(apps, app, 'src'))
        .filter((f) => f.endsWith('.module.ts'))
        .map((f) => join(apps, app, 'src', f)),
    )
    .flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/(?:StageModule|MessagingModule)\.forRoot\(\{([^}]*)\}\)/g)].map((m) => {
        const groupId = /groupId:\s*'([^']+)'/.exec(m[1])?.[1];
        const service = /service:\s*'([^']+)'/.exec(m[1])?.[1];
        return groupId ?? `tf-${service}`;
      }),
    )
    .sort();
}

describe('Grafana provisioning (deploy/grafana)', () => {
  it('provisions the product dashboards: system overview, job processing, video processing, API, pipeline', () => {
    expect(dashboards.map((d) => d.dashboard.uid).sort()).toEqual([
      'tf-api-performance',
      'tf-job-processing',
      'tf-pipeline',
      'tf-system-overview',
      'tf-video-processing',
    ]);
  });

  it('gives every dashboard its own uid and title', () => {
    const uids = dashboards.map((d) => d.dashboard.uid);
    const titles = dashboards.map((d) => d.dashboard.title);
    expect(new Set(uids).size).toBe(uids.length);
    expect(new Set(titles).size).toBe(titles.length);
  });

  it('loads the dashboards folder from files, under the provisioned Prometheus uid the dashboards name', () => {
    const provider = parseYaml(
      readFileSync(join(GRAFANA_DIR, 'provisioning/dashboards/transcode-flow.yml'), 'utf8'),
    ) as { providers: { type: string; options: { path: string } }[] };
    expect(provider.providers).toEqual([expect.objectContaining({ type: 'file' })]);
    expect(provider.providers[0].options.path).toMatch(/^\//);
    expect(datasource.uid).toBe('tf-prometheus');
  });

  it.each(files)('%s: panel ids are unique and the panels tile the 24-column grid without overlapping', (file) => {
    const dashboard = byFile.get(file)!;
    const all = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
    const ids = all.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const overlaps: string[] = [];
    for (const [i, a] of all.entries()) {
      expect(a.gridPos.x + a.gridPos.w).toBeLessThanOrEqual(24);
      for (const b of all.slice(i + 1)) {
        const apart =
          a.gridPos.x + a.gridPos.w <= b.gridPos.x ||
          b.gridPos.x + b.gridPos.w <= a.gridPos.x ||
          a.gridPos.y + a.gridPos.h <= b.gridPos.y ||
          b.gridPos.y + b.gridPos.h <= a.gridPos.y;
        if (!apart) overlaps.push(`${a.title} / ${b.title}`);
      }
    }
    expect(overlaps).toEqual([]);
  });

  it.each(files)('%s: every panel queries the provisioned Prometheus by uid, with PromQL targets', (file) => {
    const dashboard = byFile.get(file)!;
    const problems: string[] = [];
    for (const panel of dataPanels(dashboard)) {
      const targets = panel.targets ?? [];
      if (targets.length === 0) problems.push(`${panel.title}: no target`);
      if (panel.datasource?.uid !== datasource.uid)
        problems.push(`${panel.title}: data source ${panel.datasource?.uid}`);
      if (new Set(targets.map((t) => t.refId)).size !== targets.length) problems.push(`${panel.title}: refIds repeat`);
      for (const t of targets) {
        if (!t.expr?.trim()) problems.push(`${panel.title} ${t.refId}: no expr`);
        if (t.datasource && t.datasource.uid !== datasource.uid)
          problems.push(`${panel.title} ${t.refId}: data source`);
      }
    }
    for (const v of dashboard.templating?.list ?? []) {
      if (v.type === 'query' && v.datasource?.uid !== datasource.uid) problems.push(`variable ${v.name}: data source`);
    }
    expect(problems).toEqual([]);
  });

  it.each(files)('%s: every query is PromQL once its variables are expanded, and uses only known variables', (file) => {
    const dashboard = byFile.get(file)!;
    const problems = queries(dashboard).flatMap(({ panel, refId, expr }) => [
      ...undefinedVariables(expr, dashboard).map((v) => `${panel} ${refId}: undefined variable $${v}`),
      ...promqlSyntaxErrors(expandVariables(expr, dashboard, SOME_RANGE)).map((e) => `${panel} ${refId}: ${e}`),
    ]);
    expect(problems).toEqual([]);
  });

  it.each(files)('%s: selects only metrics the services export (their code) or standard ones', (file) => {
    const dashboard = byFile.get(file)!;
    const known = exportedMetricNames();
    const unknown = queries(dashboard).flatMap(({ panel, refId, expr }) =>
      metricNames(expandVariables(expr, dashboard, SOME_RANGE))
        .filter((name) => !known.has(name))
        .map((name) => `${panel} ${refId}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });

  it('the pipeline dashboard follows every consumer group of the product', () => {
    const groups = consumerGroups();
    expect(groups).toEqual(expect.arrayContaining(['tf-gateway-jobs', 'tf-validator', 'tf-transcoder']));
    const exprs = queries(byFile.get('pipeline.json')!).map((q) => q.expr);
    const shown = new Set(exprs.flatMap((e) => [...e.matchAll(/group="([^"]+)"/g)].map((m) => m[1])));
    expect(groups.filter((g) => !shown.has(g))).toEqual([]);
    expect([...shown].filter((g) => !groups.includes(g))).toEqual([]);
  });
});

describe('the checks themselves', () => {
  it('find the metric names of a query, not its functions or labels', () => {
    expect(
      metricNames('histogram_quantile(0.9, sum by (le, job) (rate(a_bucket{x="y"}[5m]))) / on() group_left sum(up)'),
    ).toEqual(['a_bucket', 'up']);
  });

  it('report a syntax error and an undefined variable', () => {
    expect(promqlSyntaxErrors('sum(rate(x[5m])')).not.toEqual([]);
    expect(promqlSyntaxErrors('sum(rate(x[5m]))')).toEqual([]);
    const dashboard = { uid: 'd', title: 'd', panels: [], templating: { list: [{ name: 'svc', type: 'query' }] } };
    expect(undefinedVariables('up{job=~"$svc",x="$nope"}[$__rate_interval]', dashboard)).toEqual(['nope']);
    expect(expandVariables('rate(up{job=~"${svc}"}[$__rate_interval])', dashboard, SOME_RANGE)).toBe(
      'rate(up{job=~".*"}[20s])',
    );
  });
});
