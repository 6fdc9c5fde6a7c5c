import { JobView } from '@tf/client';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { repoRoot } from '../support/processes';
import { ApiStack, clientFor, notAVideo, rand, sampleClip, startApiStack } from './api-harness';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** bin/tflow.js as a user runs it (from another directory), with the API's URL and key in the environment. */
function tflow(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      TF_API_KEY: undefined,
      TF_BOOTSTRAP_API_KEY: undefined,
      ...env,
    };
    for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
    execFile(
      process.execPath,
      [join(repoRoot, 'bin/tflow.js'), ...args],
      { cwd: '/', env: childEnv, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

const oneLine = (text: string) => text.trim().split('\n');

// §9: tflow's API commands against a gateway on the real stack.
describe('tflow CLI', () => {
  let stack: ApiStack;
  let env: Record<string, string>;
  let tenant: string;

  beforeAll(async () => {
    stack = await startApiStack();
    tenant = `cli-${rand()}`;
    env = { TF_API_URL: stack.url, TF_API_KEY: await stack.db.createKey(tenant, ['jobs:read', 'jobs:write']) };
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('submit --json uploads, follows the job and prints the completed job; status and list show it', async () => {
    const clip = await sampleClip('cli.mp4');
    const submit = await tflow(['submit', clip, '--json', '-r', '360p', '--no-hls', '--no-transcription'], env);
    expect(submit).toMatchObject({ code: 0, stderr: '' });
    const job = JSON.parse(submit.stdout) as JobView;
    expect(job).toMatchObject({ status: 'completed', source: expect.objectContaining({ filename: 'cli.mp4' }) });
    expect(job.outputs.length).toBeGreaterThan(0);

    const status = await tflow(['status', job.job_id, '--json'], env);
    expect(status.code).toBe(0);
    const rest = await clientFor(stack.url, env.TF_API_KEY).getJob(job.job_id);
    const strip = (j: JobView) => ({ ...j, outputs: j.outputs.map((o) => ({ ...o, url: o.url.split('?')[0] })) });
    expect(strip(JSON.parse(status.stdout))).toEqual(strip(rest));

    const human = await tflow(['status', job.job_id], env);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`job\\s+${job.job_id}`));
    expect(human.stdout).toMatch(/status\s+completed/);
    // The outputs as kind, label and size; their signed URLs only with --urls.
    for (const o of job.outputs) expect(human.stdout).toMatch(new RegExp(`${o.kind}\\s+${o.label}\\s`));
    expect(human.stdout).not.toContain('http');
    const withUrls = await tflow(['status', job.job_id, '--urls'], env);
    for (const o of job.outputs) expect(withUrls.stdout).toContain(o.url.split('?')[0]);
    // The short id the progress bar shows names the same job.
    const short = await tflow(['status', job.job_id.slice(0, 8), '--json'], env);
    expect([short.code, (JSON.parse(short.stdout) as JobView).job_id]).toEqual([0, job.job_id]);

    const list = await tflow(['list', '--json', '--limit', '5'], env);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).jobs.map((j: { job_id: string }) => j.job_id)).toContain(job.job_id);
    const table = await tflow(['list', '--status', 'completed'], env);
    expect(table.stdout).toContain(job.job_id);
  });

  it('submit --no-wait prints the queued job; cancel and retry answer as the API does', async () => {
    const queued = await stack.db.insertJob(tenant);
    const cancel = await tflow(['cancel', queued.id, '--json', '--reason', 'cli test'], env);
    expect(cancel.code).toBe(0);
    expect(JSON.parse(cancel.stdout)).toMatchObject({ job_id: queued.id, status: 'cancelled' });
    // 409 JOB_NOT_RETRYABLE: a request the API refuses as invalid is a usage error.
    const retry = await tflow(['retry', queued.id], env);
    expect(retry.code).toBe(2);
    expect(oneLine(retry.stderr)).toEqual([expect.stringMatching(/^tflow: 409 JOB_NOT_RETRYABLE: /)]);

    const noWait = await tflow(['submit', notAVideo('cli-broken.mp4'), '--no-wait', '--json'], env);
    expect(noWait.code).toBe(0);
    const accepted = JSON.parse(noWait.stdout) as { job_id: string; status: string };
    expect(accepted.status).toBe('queued');
    // watch: follows it to its end; a failed job exits 1 with one line.
    const watch = await tflow(['watch', accepted.job_id], env);
    expect(watch.code).toBe(1);
    expect(watch.stderr.trim().split('\n').pop()).toMatch(
      new RegExp(`^tflow: job ${accepted.job_id} failed: [A-Z_]+: `),
    );
    const events = await tflow(['watch', accepted.job_id, '--json'], env);
    expect(events.code).toBe(1);
    const lines = oneLine(events.stdout).map((l) => JSON.parse(l) as { event: string; data: { status: string } });
    expect(lines[lines.length - 1].data.status).toBe('failed');
  });

  it('exits 2 on usage errors, 3 on auth, 4 on not found, 5 when the API is unreachable; errors take one line', async () => {
    const cases: [string[], Record<string, string | undefined>, number, RegExp][] = [
      [['status', randomUUID()], env, 4, /^tflow: 404 JOB_NOT_FOUND: /],
      [['status', randomUUID()], { ...env, TF_API_KEY: `tfk_${'y'.repeat(43)}` }, 3, /^tflow: 401 INVALID_API_KEY: /],
      [['list'], { TF_API_URL: stack.url }, 3, /^tflow: MISSING_API_KEY: /],
      [['submit', '/nonexistent/clip.mp4'], env, 2, /^tflow: USAGE: /],
      [['list', '--limit', 'many'], env, 2, /^tflow: USAGE: --limit/],
      [['list', '--status', 'sideways'], env, 2, /^tflow: /],
      [['status'], env, 2, /^tflow: missing required argument/],
      [['frobnicate'], env, 2, /^tflow: unknown command/],
      [['status', randomUUID()], { ...env, TF_API_URL: 'http://127.0.0.1:9' }, 5, /^tflow: .*ECONNREFUSED/],
    ];
    for (const [args, caseEnv, code, stderr] of cases) {
      const run = await tflow(args, caseEnv);
      expect({ args, code: run.code, stdout: run.stdout }).toEqual({ args, code, stdout: '' });
      expect({ args, stderr: oneLine(run.stderr) }).toEqual({ args, stderr: [expect.stringMatching(stderr)] });
    }
    // A read-only key: 403 is an auth error too.
    const reader = await stack.db.createKey(tenant, ['jobs:read']);
    const forbidden = await tflow(['cancel', randomUUID()], { ...env, TF_API_KEY: reader });
    expect([forbidden.code, oneLine(forbidden.stderr)]).toEqual([
      3,
      [expect.stringMatching(/^tflow: 403 INSUFFICIENT_SCOPE: /)],
    ]);
  });

  it('routes keys and backfill to their commands', async () => {
    const help = await tflow(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['submit', 'status', 'watch', 'list', 'cancel', 'retry', 'keys', 'admin create-key'])
      expect(help.stdout).toContain(command);
    // tflow keys: the admin API, here with the gateway's bootstrap key (a platform admin).
    const keys = await tflow(['keys', 'list', '--tenant', tenant], {
      TF_API_URL: stack.url,
      TF_API_KEY: stack.bootstrapKey,
    });
    expect(keys.code).toBe(0);
    expect(keys.stdout).toContain(tenant);
    const backfill = await tflow(['backfill', '--help']);
    expect(backfill.code).toBe(0);
    expect(backfill.stdout).toMatch(/--from/);
  });

  it('makes the first admin key on the database (tflow admin), which then manages keys through the API; names print on their own line', async () => {
    const adminTenant = `cli-admin-${rand()}`;
    const made = await tflow(
      ['admin', 'create-key', '--tenant', adminTenant, '--scopes', 'admin', '--name', 'first', '--json'],
      {},
    );
    expect(made.code).toBe(0);
    const first = JSON.parse(made.stdout) as {
      key: string;
      tenant_id: string;
      scopes: string[];
      platform_admin: boolean;
    };
    expect(first).toMatchObject({
      tenant_id: adminTenant,
      scopes: ['admin'],
      platform_admin: false,
      key: expect.stringMatching(/^tfk_/),
    });

    const asAdmin = { TF_API_URL: stack.url, TF_API_KEY: first.key };
    const forged = 'ci\n00000000-0000-4000-8000-000000000000  tfk_forged…  other  admin  active  platform  -  x';
    const created = await tflow(['keys', 'create', '--scopes', 'jobs:read', '--name', forged], asAdmin);
    expect(created.code).toBe(0);
    expect(created.stdout.trim()).toMatch(/^tfk_[A-Za-z0-9_-]{43}$/);
    const list = await tflow(['keys', 'list'], asAdmin);
    expect(list.code).toBe(0);
    const lines = oneLine(list.stdout);
    expect(lines[0].split(/\s+/)).toEqual(['ID', 'PREFIX', 'TENANT', 'SCOPES', 'STATE', 'ADMIN', 'LIMITS', 'NAME']);
    // Two keys, two lines: the name's line break is printed as \n.
    expect(lines).toHaveLength(3);
    expect(
      lines.filter((l) =>
        l.endsWith('  ci\\n00000000-0000-4000-8000-000000000000  tfk_forged…  other  admin  active  platform  -  x'),
      ),
    ).toHaveLength(1);
    expect(lines.every((l) => l.includes(adminTenant) || l.startsWith('ID'))).toBe(true);

    const version = await tflow(['--version'], {});
    expect([version.code, version.stdout]).toEqual([0, expect.stringMatching(/^tflow \d+\.\d+\.\d+\n$/)]);
  });
});
