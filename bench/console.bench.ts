// Console budget: the JavaScript a first page loads (gzipped), and the jobs list rendering 100 real jobs
// in Chromium (Performance API: long tasks, frame gaps, time from the list's API answer to 100 rows),
// against a baseline measured in the same run and browser: the same 100 rows written as one innerHTML.
//   node -r @swc-node/register bench/console.bench.ts [--runs 5] [--write-readme]
// Builds the console, runs `bash scripts/services.sh up` (a no-op when the services answer; hold
// /tmp/tf-stack.lock), makes a tenant of its own with 100 jobs (small non-video files: real jobs that
// fail fast at validation, so the pipeline is quiet while the page is measured).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { TranscodeFlowClient, type JobSummary } from '@tf/client';
import { localStackSecretsPath, readLocalStackSecrets } from '@tf/config';
import { cliOptions, coreCount, loadAverages, median } from './lib/measure';
import { writeReadmeSection } from './lib/readme-section';

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist', 'console');
const CONSOLE = `http://127.0.0.1:${process.env.TF_CONSOLE_PORT || 18080}`;
const JOBS = 100;
const BUDGET_KB = 300;

const opts = cliOptions();
const runs = Number(opts.option('runs', '5'));

const gzipKb = (file: string): number => gzipSync(readFileSync(file)).length / 1024;

/** The JS the console's index.html loads before any route: the entry and its modulepreloads. */
function entryScripts(): string[] {
  const html = readFileSync(path.join(DIST, 'index.html'), 'utf8');
  return [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]);
}

/** The scripts Chromium fetched for a page (paths under /assets), by visiting it. */
async function scriptsOfPage(browser: Browser, route: string, apiKey?: string): Promise<string[]> {
  const context = await browser.newContext({ baseURL: CONSOLE });
  if (apiKey) await context.addInitScript(`sessionStorage.setItem('tf.apiKey', ${JSON.stringify(apiKey)})`);
  const page = await context.newPage();
  const scripts = new Set<string>();
  page.on('response', (r) => {
    const url = new URL(r.url());
    if (r.request().resourceType() === 'script' && url.pathname.startsWith('/assets/')) scripts.add(url.pathname);
  });
  // Not 'networkidle': the jobs list keeps its live event stream open.
  await page.goto(route, { waitUntil: 'load' });
  await page.locator('main h1').first().waitFor();
  await page.waitForTimeout(500);
  await context.close();
  return [...scripts];
}

const sumGzipKb = (paths: string[]): number => paths.reduce((kb, p) => kb + gzipKb(path.join(DIST, p)), 0);

interface RenderFigures {
  /** ms from the end of the list's API answer (or the start of the baseline's write) to 100 rows in the DOM, then the next frame. */
  renderMs: number;
  longestTaskMs: number;
  /** Sum of (long task - 50 ms) from navigation to 500 ms after the rows. */
  blockingMs: number;
  longTasks: number;
  /** Longest gap between animation frames from the answer to 500 ms after the rows. */
  maxFrameGapMs: number;
}

// Installed before any page script: long tasks, frame times, and the moment the 100th row exists.
const INSTRUMENT = `
  window.__bench = { longtasks: [], frames: [], rowsAt: null };
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__bench.longtasks.push([e.startTime, e.duration]); })
    .observe({ type: 'longtask', buffered: true });
  const frame = (t) => { window.__bench.frames.push(t); requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
  new MutationObserver(() => {
    if (window.__bench.rowsAt === null && document.querySelectorAll('[data-testid="job-row"]').length >= ${JOBS}) {
      window.__bench.rowsAt = performance.now();
    }
  }).observe(document, { childList: true, subtree: true });
`;

type Collected = { longtasks: [number, number][]; frames: number[]; rowsAt: number; start: number };

function figures(c: Collected): RenderFigures {
  const end = c.rowsAt + 500;
  const nextFrame = c.frames.find((t) => t >= c.rowsAt) ?? c.rowsAt;
  const inWindow = c.frames.filter((t) => t >= c.start && t <= end);
  const gaps = inWindow.slice(1).map((t, i) => t - inWindow[i]);
  const tasks = c.longtasks.filter(([s]) => s <= end);
  return {
    renderMs: nextFrame - c.start,
    longestTaskMs: Math.max(0, ...tasks.map(([, d]) => d)),
    blockingMs: tasks.reduce((sum, [, d]) => sum + Math.max(0, d - 50), 0),
    longTasks: tasks.length,
    maxFrameGapMs: Math.max(0, ...gaps),
  };
}

/** The console's /jobs with 100 jobs, from a fresh page (the JS cached by the browser, as on a return visit). */
async function consoleRender(browser: Browser, apiKey: string): Promise<RenderFigures> {
  const context = await browser.newContext({ baseURL: CONSOLE, viewport: { width: 1280, height: 900 } });
  await context.addInitScript(`sessionStorage.setItem('tf.apiKey', ${JSON.stringify(apiKey)})`);
  await context.addInitScript(INSTRUMENT);
  const page = await context.newPage();
  await page.goto('/jobs');
  await page.waitForFunction(`window.__bench.rowsAt !== null`, undefined, { timeout: 60_000 });
  await page.waitForTimeout(600);
  const collected = (await page.evaluate(`(() => {
    const list = performance.getEntriesByType('resource').find((e) => /\\/api\\/v1\\/jobs\\?/.test(e.name));
    return { ...window.__bench, start: list ? list.responseEnd : 0 };
  })()`)) as Collected;
  await context.close();
  return figures(collected);
}

/** Baseline: the same 100 rows (same columns and text) written as one innerHTML into a blank page, no framework. */
async function baselineRender(browser: Browser, jobs: JobSummary[]): Promise<RenderFigures> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(INSTRUMENT);
  const page = await context.newPage();
  await page.goto('about:blank');
  const rows = jobs
    .map(
      (j) =>
        `<tr data-testid="job-row"><td><a href="/jobs/${j.job_id}">${j.source.filename}</a></td><td><span>${j.status}</span>` +
        `<div><code>${j.error?.code ?? ''}</code></div></td><td><progress max="100" value="${j.overall_progress}"></progress></td>` +
        `<td>${j.labels.join(' ')}</td><td>${new Date(j.created_at).toLocaleString()}</td><td><button>Retry</button></td></tr>`,
    )
    .join('');
  await page.waitForTimeout(200);
  await page.evaluate(`(() => {
    window.__bench.start = performance.now();
    document.body.innerHTML = '<table><tbody>' + ${JSON.stringify(rows)} + '</tbody></table>';
  })()`);
  await page.waitForFunction(`window.__bench.rowsAt !== null`);
  await page.waitForTimeout(600);
  const collected = (await page.evaluate(`window.__bench`)) as Collected;
  await context.close();
  return figures(collected);
}

async function makeJobs(admin: TranscodeFlowClient): Promise<{ apiKey: string; jobs: JobSummary[] }> {
  const tenant = `console-bench-${Date.now().toString(36)}`;
  const { key } = await admin.createKey({
    tenant_id: tenant,
    scopes: ['jobs:read', 'jobs:write'],
    name: 'console bench',
  });
  const tenantApi = new TranscodeFlowClient({ apiKey: key });
  const dir = mkdtempSync(path.join(tmpdir(), 'tf-console-bench-'));
  try {
    for (let i = 0; i < JOBS; i += 5) {
      await Promise.all(
        Array.from({ length: 5 }, (_, k) => {
          const file = path.join(dir, `clip-${String(i + k).padStart(3, '0')}.mp4`);
          writeFileSync(file, Buffer.from(`not a video ${i + k} `.repeat(40)));
          return tenantApi.uploadFile(file, {
            targetResolutions: ['360p'],
            enableHls: false,
            enableTranscription: false,
          });
        }),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Quiet pipeline while measuring: every job has reached its end (failed NOT_MEDIA).
  const deadline = Date.now() + 600_000;
  for (;;) {
    const page = await tenantApi.listJobs({ limit: JOBS });
    if (page.jobs.length === JOBS && page.jobs.every((j) => j.status === 'failed' || j.status === 'completed')) {
      return { apiKey: key, jobs: page.jobs };
    }
    if (Date.now() > deadline) throw new Error('the bench jobs did not all end in 10 minutes');
    await new Promise((r) => setTimeout(r, 2000));
  }
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);

async function main(): Promise<void> {
  const loadBefore = loadAverages();
  execFileSync('npm', ['run', '--silent', 'build:console'], { cwd: ROOT, stdio: 'ignore' });
  const entry = entryScripts();
  const entryKb = sumGzipKb(entry);

  execFileSync('bash', ['scripts/services.sh', 'up'], { cwd: ROOT, stdio: 'ignore' });
  const adminKey = process.env.TF_API_KEY ?? readLocalStackSecrets(localStackSecretsPath(ROOT)).TF_BOOTSTRAP_API_KEY;
  const { apiKey, jobs } = await makeJobs(new TranscodeFlowClient({ apiKey: adminKey }));

  const browser = await chromium.launch({
    executablePath: process.env.TF_CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  try {
    const signInScripts = await scriptsOfPage(browser, '/sign-in');
    const jobsScripts = await scriptsOfPage(browser, '/jobs', apiKey);
    const signInKb = sumGzipKb(signInScripts);
    const jobsKb = sumGzipKb(jobsScripts);
    const hlsChunks = jobsScripts.concat(signInScripts).filter((s) => /hls/i.test(s));

    const consoleRuns: RenderFigures[] = [];
    const baselineRuns: RenderFigures[] = [];
    for (let i = 0; i < runs; i++) {
      consoleRuns.push(await consoleRender(browser, apiKey));
      baselineRuns.push(await baselineRender(browser, jobs));
    }
    const med = (xs: RenderFigures[], k: keyof RenderFigures) => median(xs.map((x) => x[k]));
    const loadAfter = loadAverages();

    const lines = [
      '## Console',
      '',
      '`node -r @swc-node/register bench/console.bench.ts [--runs 5] [--write-readme]` (hold `/tmp/tf-stack.lock`: it',
      "runs `scripts/services.sh up`). The first page's JavaScript is measured by visiting it in Chromium and gzipping",
      'every script it fetched (gzip level 6, as served compressed); the budget is 300 kB. The list render: `/jobs` of',
      `a tenant with ${JOBS} real jobs (one page of ${JOBS}), the console's JS already in the browser cache, measured with the`,
      "Performance API (long tasks ≥ 50 ms, requestAnimationFrame gaps) from the end of the list's API answer to the",
      `${JOBS}th row in the DOM and the next frame, against the same ${JOBS} rows written as one innerHTML in a blank page`,
      `(no framework, no CSS) in the same browser, interleaved, ${runs} runs each, medians.`,
      '',
      `Measured on ${coreCount()} cores shared with seven other people's work (load average ${loadBefore} before, ${loadAfter} after):`,
      '',
      '| first page | scripts | JS gzipped (kB) | budget |',
      '| --- | --- | --- | --- |',
      `| index.html entry (before any route) | ${entry.length} | ${fmt(entryKb)} | ${BUDGET_KB} kB |`,
      `| /sign-in (a new visitor) | ${signInScripts.length} | ${fmt(signInKb)} | ${BUDGET_KB} kB |`,
      `| /jobs (signed in) | ${jobsScripts.length} | ${fmt(jobsKb)} | ${BUDGET_KB} kB |`,
      '',
      `hls.js on those pages: ${hlsChunks.length === 0 ? 'none (it loads with the player pages only)' : hlsChunks.join(', ')}.`,
      '',
      `| ${JOBS} rows | render (ms) | longest task (ms) | long tasks | blocking time (ms) | max frame gap (ms) |`,
      '| --- | --- | --- | --- | --- | --- |',
      `| console /jobs | ${fmt(med(consoleRuns, 'renderMs'))} | ${fmt(med(consoleRuns, 'longestTaskMs'))} | ${med(consoleRuns, 'longTasks')} | ${fmt(med(consoleRuns, 'blockingMs'))} | ${fmt(med(consoleRuns, 'maxFrameGapMs'))} |`,
      `| baseline innerHTML | ${fmt(med(baselineRuns, 'renderMs'))} | ${fmt(med(baselineRuns, 'longestTaskMs'))} | ${med(baselineRuns, 'longTasks')} | ${fmt(med(baselineRuns, 'blockingMs'))} | ${fmt(med(baselineRuns, 'maxFrameGapMs'))} |`,
      `| ratio console / baseline (render) | ${fmt(med(consoleRuns, 'renderMs') / Math.max(0.1, med(baselineRuns, 'renderMs')), 2)} | | | | |`,
      '',
    ];
    const section = lines.join('\n');
    console.log(section);
    console.log('runs:', JSON.stringify({ consoleRuns, baselineRuns }));
    if (opts.flag('write-readme')) writeReadmeSection(section);
  } finally {
    await browser.close();
  }
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
