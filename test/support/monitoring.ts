import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { repoRoot } from './processes';

// The local stack's Prometheus and Alertmanager (scripts/stack/prometheus.sh, alertmanager.sh): their ports
// come from scripts/stack/versions.env, a TF_STACK_* variable in the environment winning, as in the scripts.
const stackSetting = (name: string): string => {
  const fromEnv = process.env[name];
  if (fromEnv) return fromEnv;
  const line = readFileSync(join(repoRoot, 'scripts/stack/versions.env'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}=`));
  if (!line) throw new Error(`${name} is not in scripts/stack/versions.env`);
  return line.slice(name.length + 1);
};

export const prometheusUrl = (): string => `http://127.0.0.1:${stackSetting('TF_STACK_PROMETHEUS_PORT')}`;
export const alertmanagerUrl = (): string => `http://127.0.0.1:${stackSetting('TF_STACK_ALERTMANAGER_PORT')}`;
/** Where deploy/alertmanager/alertmanager.yml's webhook receiver posts (a test listens there). */
export const alertWebhookPort = (): number => Number(stackSetting('TF_STACK_ALERT_WEBHOOK_PORT'));

export type PromSample = { metric: Record<string, string>; value: [number, string] };

/** An instant PromQL query against the stack's Prometheus; throws on a query error. */
export async function promQuery(query: string): Promise<PromSample[]> {
  const res = await request(`${prometheusUrl()}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await res.body.json()) as { status: string; error?: string; data?: { result: PromSample[] } };
  if (res.statusCode !== 200 || body.status !== 'success') throw new Error(`${query}: ${body.error ?? res.statusCode}`);
  return body.data!.result;
}

/** One alert of Alertmanager's v2 API (GET /api/v2/alerts). */
export type AmAlert = { labels: Record<string, string>; status: { state: string }; startsAt: string };

export async function alertmanagerAlerts(alertname: string): Promise<AmAlert[]> {
  const filter = encodeURIComponent(`alertname="${alertname}"`);
  const res = await request(`${alertmanagerUrl()}/api/v2/alerts?filter=${filter}`);
  if (res.statusCode !== 200) throw new Error(`alertmanager: ${res.statusCode} ${await res.body.text()}`);
  return (await res.body.json()) as AmAlert[];
}
