// @tf-background-services: runs on the six services of scripts/services.sh (see test/support/background-services.js).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '@tf/client';
import { makeSampleClip } from '@tf/testing';
import { request } from 'undici';
import { parse as parseYaml } from 'yaml';
import { client, ensureServicesUp, startWebhookReceiver } from '../pipeline/pipeline-harness';
import {
  BuiltinIntervals,
  dataPanels,
  expandVariables,
  legendLabels,
  loadDashboards,
  provisionedPrometheus,
} from '../support/grafana-dashboards';
import { prometheusUrl } from '../support/monitoring';
import { repoRoot } from '../support/processes';
import { waitFor } from '../support/wait';

// Grafana can't run here, so this does what it would do with every dashboard of deploy/grafana/dashboards/
// opened over the time of a real pipeline run: it sends each panel's PromQL (variables expanded as Grafana
// expands them) to the local Prometheus as a range query, and fails on a query error or on a panel with no
// data where the run must have produced some.
const SCRAPE_JOBS = (
  parseYaml(readFileSync(join(repoRoot, 'deploy/prometheus/prometheus.yml'), 'utf8')) as {
    scrape_configs: { job_name: string }[];
  }
).scrape_configs.map((c) => c.job_name);

// Panels that only show data when something goes wrong, which a healthy run must not do. Keyed by
// "<dashboard uid> / <panel title> / <refId>"; an entry that names no target fails the test.
const EMPTY_IN_A_HEALTHY_RUN: Record<string, string> = {
  'tf-pipeline / Messages dead-lettered / A': 'no message is dead-lettered',
  'tf-api-performance / Refused by limits / A': 'no request is refused by the rate limiter',
  'tf-api-performance / Refused by limits / B': 'no request is refused by a quota',
  // The run's jobs are a few seconds long: none reaches TF_CHUNK_THRESHOLD_SECONDS, so nothing is split.
  'tf-video-processing / Chunks encoded per minute / A': 'no job is long enough to be split into chunks',
  'tf-video-processing / Chunks encoded per minute / B': 'no part of a split transcode fails',
  'tf-video-processing / Chunk encode time p95 / A': 'no job is long enough to be split into chunks',
  'tf-video-processing / Assembly time p95 / A': 'no job is long enough to be split into chunks',
  'tf-video-processing / Assembly time p95 / B': 'no job is long enough to be split into chunks',
  'tf-video-processing / Split transcodes by outcome / A': 'no job is long enough to be split into chunks',
};

interface PromResponse<T> {
  status: 'success' | 'error';
  data: T;
  errorType?: string;
  error?: string;
}
type RangeSeries = { metric: Record<string, string>; values: [number, string][] };

async function prometheus<T>(path: string, params: Record<string, string> = {}): Promise<PromResponse<T>> {
  const response = await request(`${prometheusUrl()}${path}?${new URLSearchParams(params).toString()}`);
  return (await response.body.json()) as PromResponse<T>;
}

/** Waits until Prometheus has scraped every service, up, after `since` (so what they counted until then is in). */
async function scrapedAfter(since: number): Promise<void> {
  await waitFor(
    `a scrape of every service after ${new Date(since).toISOString()}`,
    async () => {
      const { data } = await prometheus<{
        activeTargets: { labels: { job: string }; health: string; lastScrape: string }[];
      }>('/api/v1/targets', { state: 'active' });
      const fresh = data.activeTargets.filter((t) => t.health === 'up' && Date.parse(t.lastScrape) > since);
      return SCRAPE_JOBS.every((job) => fresh.some((t) => t.labels.job === job));
    },
    120_000,
    1_000,
  );
}

/** Grafana's $__rate_interval for a data source scraped every `timeInterval`: four scrapes. */
function builtinsFor(start: number, end: number): BuiltinIntervals {
  const scrapeS = Number(/^(\d+)s$/.exec(provisionedPrometheus().jsonData?.timeInterval ?? '')?.[1]);
  if (!scrapeS) throw new Error('the provisioned Prometheus data source must set jsonData.timeInterval in seconds');
  return {
    rateInterval: `${4 * scrapeS}s`,
    interval: `${scrapeS}s`,
    range: `${Math.ceil((end - start) / 1000)}s`,
  };
}

describe('Grafana dashboards on live data', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-dashboards-'));
  const api = client();
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let start = 0;
  let end = 0;

  beforeAll(async () => {
    ensureServicesUp();
    receiver = await startWebhookReceiver();
    start = Date.now();
    await scrapedAfter(start);

    const clip = await makeSampleClip(join(dir, 'speech-480p.mp4'), { width: 854, height: 480, durationS: 6 });
    // Two jobs, one after the other, each scraped: a labelled series (a rendition, a stage) is born with the
    // first job's values, so only the second moves its rate() and the quantiles built on it.
    for (let round = 0; round < 2; round++) {
      const { job_id } = await api.uploadFile(clip, {
        targetResolutions: ['360p', '480p'],
        enableTranscription: true,
        webhookUrl: receiver.url,
      });
      expect((await api.waitForJob(job_id)).status).toBe('completed');
      await waitFor('the webhook of the completed job', async () => receiver.received.length > round);
      await scrapedAfter(Date.now());
    }
    // A client's mistakes, for the error panels: a file that is not media (a failed job) and an unknown job (404),
    // each twice for the same reason as above (on a fresh gateway the 404's series is born with the first).
    const notMedia = join(dir, 'not-media.mp4');
    writeFileSync(notMedia, 'this is not a video\n'.repeat(64));
    for (let round = 0; round < 2; round++) {
      const failed = await api.waitForJob((await api.uploadFile(notMedia, { targetResolutions: ['360p'] })).job_id);
      expect(failed.error?.code).toBe('NOT_MEDIA');
      await scrapedAfter(Date.now());
    }
    for (let round = 0; round < 2; round++) {
      await expect(api.getJob('00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(ApiError);
      await scrapedAfter(Date.now());
    }
    await scrapedAfter(Date.now());
    end = Date.now();
  });

  afterAll(async () => {
    await receiver?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const targets = loadDashboards().flatMap(({ dashboard }) =>
    dataPanels(dashboard).flatMap((panel) =>
      (panel.targets ?? []).map((target) => ({
        key: `${dashboard.uid} / ${panel.title} / ${target.refId}`,
        dashboard,
        expr: target.expr ?? '',
        labels: legendLabels(target),
      })),
    ),
  );

  it('knows every panel it lets stay empty', () => {
    const keys = new Set(targets.map((t) => t.key));
    expect(Object.keys(EMPTY_IN_A_HEALTHY_RUN).filter((k) => !keys.has(k))).toEqual([]);
  });

  it('scrapes every service of deploy/prometheus/prometheus.yml', async () => {
    const { data } = await prometheus<{ result: { metric: { job: string }; value: [number, string] }[] }>(
      '/api/v1/query',
      { query: 'up' },
    );
    const up = data.result.filter((r) => r.value[1] === '1').map((r) => r.metric.job);
    expect(SCRAPE_JOBS.filter((job) => !up.includes(job))).toEqual([]);
  });

  it('runs every panel query without an error, with data wherever the run must have made some, labelled as its legend says', async () => {
    const builtins = builtinsFor(start, end);
    const problems: string[] = [];
    for (const { key, dashboard, expr, labels } of targets) {
      const query = expandVariables(expr, dashboard, builtins);
      const answer = await prometheus<{ result: RangeSeries[] }>('/api/v1/query_range', {
        query,
        start: String(start / 1000),
        end: String(end / 1000),
        step: builtins.interval,
      });
      if (answer.status !== 'success') {
        problems.push(`${key}: ${answer.errorType}: ${answer.error} in ${query}`);
        continue;
      }
      const series = answer.data.result.filter((s) => s.values.some(([, v]) => Number.isFinite(Number(v))));
      if (series.length === 0 && !(key in EMPTY_IN_A_HEALTHY_RUN)) problems.push(`${key}: no data from ${query}`);
      // A legend naming a label the series lack ({{rendition}} after `by (resolution)`) shows blank lines.
      for (const label of labels) {
        if (series.some((s) => !s.metric[label])) problems.push(`${key}: a series without the legend's ${label}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
