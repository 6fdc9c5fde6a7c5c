import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { parse as parseYaml } from 'yaml';
import { repoRoot } from './processes';

// Grafana can't run here, so the tests read its provisioning files (deploy/grafana/) the way Grafana would:
// the dashboards' JSON model, their panels (rows' nested ones too) and each target's PromQL with Grafana's
// variables expanded to what a dashboard opened over the test's time range would send.

export const GRAFANA_DIR = join(repoRoot, 'deploy/grafana');
export const DASHBOARDS_DIR = join(GRAFANA_DIR, 'dashboards');

export interface GrafanaDatasourceRef {
  type?: string;
  uid?: string;
}

export interface GrafanaTarget {
  refId: string;
  expr?: string;
  /** The series' name in the legend: `{{label}}` is replaced by the series' label. */
  legendFormat?: string;
  datasource?: GrafanaDatasourceRef;
}

export interface GrafanaPanel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: GrafanaDatasourceRef;
  targets?: GrafanaTarget[];
  panels?: GrafanaPanel[];
}

export interface GrafanaVariable {
  name: string;
  type: string;
  datasource?: GrafanaDatasourceRef;
  includeAll?: boolean;
  allValue?: string;
  query?: unknown;
}

export interface GrafanaDashboard {
  uid: string;
  title: string;
  panels: GrafanaPanel[];
  templating?: { list: GrafanaVariable[] };
}

export interface DashboardFile {
  file: string;
  dashboard: GrafanaDashboard;
}

/** Every dashboard file of deploy/grafana/dashboards/, parsed. */
export function loadDashboards(): DashboardFile[] {
  return readdirSync(DASHBOARDS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({
      file,
      dashboard: JSON.parse(readFileSync(join(DASHBOARDS_DIR, file), 'utf8')) as GrafanaDashboard,
    }));
}

/** The provisioned Prometheus data source (deploy/grafana/provisioning/datasources/). */
export function provisionedPrometheus(): { uid: string; url: string; jsonData?: { timeInterval?: string } } {
  const dir = join(GRAFANA_DIR, 'provisioning/datasources');
  const sources = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .flatMap(
      (f) =>
        (parseYaml(readFileSync(join(dir, f), 'utf8')) as { datasources: { type: string; uid: string; url: string }[] })
          .datasources,
    )
    .filter((d) => d.type === 'prometheus');
  if (sources.length !== 1) throw new Error(`expected one provisioned Prometheus data source, found ${sources.length}`);
  return sources[0];
}

/** Every panel that shows data: rows' nested panels included, the rows themselves left out. */
export function dataPanels(dashboard: GrafanaDashboard): GrafanaPanel[] {
  return dashboard.panels.flatMap((p) => (p.type === 'row' ? (p.panels ?? []) : [p]));
}

/** What Grafana substitutes for its built-in interval variables, for one dashboard time range. */
export interface BuiltinIntervals {
  /** `$__rate_interval`: max(4 × the data source's scrape interval, $__interval + scrape interval). */
  rateInterval: string;
  /** `$__interval`: the range divided by the panel's width in points. */
  interval: string;
  /** `$__range`: the dashboard's whole time range. */
  range: string;
}

const BUILTINS = ['__rate_interval', '__interval', '__range'] as const;

/** `expr` with the dashboard's variables replaced the way Grafana would (a multi-value "All" sends `allValue`). */
export function expandVariables(expr: string, dashboard: GrafanaDashboard, builtins: BuiltinIntervals): string {
  const values: Record<string, string> = {
    __rate_interval: builtins.rateInterval,
    __interval: builtins.interval,
    __range: builtins.range,
  };
  for (const v of dashboard.templating?.list ?? []) values[v.name] = v.allValue ?? '.*';
  return expr.replace(/\$\{(\w+)\}|\[\[(\w+)\]\]|\$(\w+)/g, (whole, a?: string, b?: string, c?: string) => {
    const name = a ?? b ?? c ?? '';
    if (!(name in values)) throw new Error(`unknown Grafana variable ${whole} in: ${expr}`);
    return values[name];
  });
}

/** Names of the variables an expression uses that are neither built-in nor defined by its dashboard. */
export function undefinedVariables(expr: string, dashboard: GrafanaDashboard): string[] {
  const defined = new Set<string>([...BUILTINS, ...(dashboard.templating?.list ?? []).map((v) => v.name)]);
  return [...expr.matchAll(/\$\{(\w+)\}|\[\[(\w+)\]\]|\$(\w+)/g)]
    .map((m) => m[1] ?? m[2] ?? m[3])
    .filter((name) => !defined.has(name));
}

/** Syntax errors of a PromQL expression (Prometheus's own Lezer grammar): empty when it parses. */
export function promqlSyntaxErrors(expr: string): string[] {
  const errors: string[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(`at ${node.from}: "${expr.slice(node.from, node.from + 20)}"`);
    },
  });
  return errors;
}

/** The metric names an expression selects (every vector selector's name). */
export function metricNames(expr: string): string[] {
  const names = new Set<string>();
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') {
        names.add(expr.slice(node.from, node.to));
      }
    },
  });
  return [...names];
}

/** The labels a target's legend shows (`{{label}}`): every series it returns must carry them. */
export const legendLabels = (target: GrafanaTarget): string[] =>
  [...(target.legendFormat ?? '').matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]);
