import { request } from 'undici';
import { FAST_EVICTION_ENV } from '../support/consumer-env';
import { ServiceProcess, startTsProcess } from '../support/processes';
import { waitFor } from '../support/wait';
import { apiKey } from '../pipeline/pipeline-harness';

/** The services a job without transcription goes through, on their usual ports (no background services run beside a test file). */
export const OUTAGE_APPS = {
  gateway: 10080,
  validator: 10081,
  transcoder: 10082,
  hls: 10083,
  notifier: 10085,
} as const;
export type OutageApp = keyof typeof OUTAGE_APPS;

/**
 * Short delays so that a 2-minute outage is outlasted in a test: quick in-process attempts (3, from
 * 0.5 s), then 10 durable retries from 5 s doubling to 20 s (~3 min in all). Production keeps the
 * product's defaults (3 from 5 min, capped at 30).
 */
export const SHORT_RETRIES: Record<string, string> = {
  TF_RETRY_MAX_ATTEMPTS: '3',
  TF_RETRY_BASE_DELAY_MS: '500',
  TF_DURABLE_RETRIES: '10',
  TF_DURABLE_RETRY_FIRST_DELAY_MS: '5000',
  TF_DURABLE_RETRY_MAX_DELAY_MS: '20000',
  TF_STARTUP_WAIT_S: '600',
};

const ENV: Record<OutageApp, Record<string, string>> = {
  gateway: { TF_BOOTSTRAP_API_KEY: apiKey },
  validator: {},
  transcoder: {},
  hls: { TF_HLS_PUBLIC_READ: 'true' },
  notifier: {},
};

const healthy = (port: number) =>
  request(`http://127.0.0.1:${port}/health`)
    .then(async (r) => {
      await r.body.text();
      return r.statusCode === 200;
    })
    .catch(() => false);

/** Starts one app with the short retries, without waiting for it (it may be waiting for a server). */
export const launchApp = (app: OutageApp): ServiceProcess =>
  startTsProcess(`apps/${app}/src/main.ts`, { ...FAST_EVICTION_ENV, ...SHORT_RETRIES, ...ENV[app] });

/** Resolves once the app answers /health; fails if it exits first. */
export async function untilHealthy(app: OutageApp, p: ServiceProcess, timeoutMs = 180_000): Promise<ServiceProcess> {
  await waitFor(
    `${app} to answer /health`,
    async () => {
      if (p.child.exitCode !== null)
        throw new Error(`${app} exited (${p.child.exitCode}):\n${p.output().slice(-4000)}`);
      return healthy(OUTAGE_APPS[app]);
    },
    timeoutMs,
    250,
  );
  return p;
}

export const startApp = (app: OutageApp): Promise<ServiceProcess> => untilHealthy(app, launchApp(app));

/** Sum of a counter over its label sets in an app's /metrics (0 when absent). */
export async function metricSum(app: OutageApp, name: string): Promise<number> {
  const text = await request(`http://127.0.0.1:${OUTAGE_APPS[app]}/metrics`).then((r) => r.body.text());
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}
