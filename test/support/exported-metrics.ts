import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { repoRoot } from './processes';

// The metric names the services really export, read from their code: what dashboards (test/deploy/
// grafana-dashboards.spec.ts) and alert rules (test/deploy/prometheus-rules.spec.ts) may query.
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'generated') return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}
const productSources = () => [...sourceFiles(join(repoRoot, 'apps')), ...sourceFiles(join(repoRoot, 'libs'))];

/** Every `tf_…` metric name written in the services' code, with the series names a histogram or summary adds. */
export function exportedMetricNames(): Set<string> {
  const names = productSources().flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/['"`](tf_[a-z][a-z0-9_]*)['"`]/g)].map((m) => m[1]),
  );
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const defaults = registry.getMetricsAsArray().map((m) => m.name);
  const all = [...names, ...defaults];
  // Series Prometheus adds to every scrape target and to every alert.
  const prometheus = ['up', 'scrape_duration_seconds', 'scrape_samples_scraped', 'scrape_series_added', 'ALERTS'];
  return new Set([...all, ...all.flatMap((n) => [`${n}_bucket`, `${n}_sum`, `${n}_count`]), ...prometheus]);
}
