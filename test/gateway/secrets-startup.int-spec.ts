// Issue 8 §4 on the real stack: the gateway refuses the documented example admin key and, with
// TF_ENV=production, missing secrets (exiting non-zero and naming the variable); a gateway started with
// another bootstrap key retires the old one on every replica; playback URLs ignore a spoofed Host.
import { once } from 'node:events';
import { Client } from 'pg';
import { databaseUrl } from '@tf/persistence';
import { storageConfig } from '@tf/storage';
import { hashApiKey } from '../../apps/gateway/src/access/api-key';
import { GatewayProcess, JobFixtures, connectDb, newBootstrapKey, send, startGateway } from './gateway-harness';
import { startTsProcess } from '../support/processes';

/** Starts an app with `env` and waits for it to exit; its exit code and output. */
async function startExpectingExit(
  entry: string,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const app = startTsProcess(entry, { TF_HTTP_PORT: '0', ...env });
  const timer = setTimeout(() => void app.kill('SIGKILL'), 120_000);
  if (app.child.exitCode === null) await once(app.child, 'exit');
  clearTimeout(timer);
  return { code: app.child.exitCode, output: app.output() };
}

/** What production needs besides the secrets under test: the stack's addresses and credentials, explicitly. */
const stackEnv = (): Record<string, string> => {
  const s3 = storageConfig();
  return {
    TF_DATABASE_URL: databaseUrl(),
    TF_S3_ENDPOINT: s3.endpoint.href,
    TF_S3_ACCESS_KEY: s3.accessKey,
    TF_S3_SECRET_KEY: s3.secretKey,
  };
};

const listJobs = (url: string, key: string) => send(`${url}/api/v1/jobs?limit=1`, { headers: { 'X-API-Key': key } });

describe('secrets at gateway start-up', () => {
  let gateway: GatewayProcess | undefined;
  /** The bootstrap key `gateway` was started with. */
  let adminKey: string | undefined;
  let db: Client;
  const first = newBootstrapKey();
  const second = newBootstrapKey();
  /** Started while the refused start-ups run (the first test), used by the second. */
  let startingFirst: Promise<GatewayProcess>;

  beforeAll(async () => {
    db = await connectDb();
    startingFirst = startGateway({ TF_BOOTSTRAP_API_KEY: first });
    startingFirst.catch(() => undefined); // awaited (and reported) by the test that uses it
  });
  afterAll(async () => {
    await startingFirst?.then(
      (g) => g.stop(),
      () => undefined,
    );
    await gateway?.stop();
    await db?.end();
  });

  // (Malformed keys and placeholders take the same path as the example: gatewayConfig throws naming
  // the variable; apps/gateway/src/auth/bootstrap-key-rules.spec.ts covers each kind.)
  it('refuses to start, exiting non-zero and naming the variable: the documented example admin key, production without secrets', async () => {
    const strongKey = newBootstrapKey();
    const [example, gatewayProduction, notifierProduction] = await Promise.all([
      startExpectingExit('apps/gateway/src/main.ts', { TF_BOOTSTRAP_API_KEY: 'tfk_local_development_key_0000000000' }),
      startExpectingExit('apps/gateway/src/main.ts', {
        ...stackEnv(),
        TF_ENV: 'production',
        TF_BOOTSTRAP_API_KEY: strongKey,
        TF_PUBLIC_URL: 'https://video.example.com',
        TF_PLAYBACK_SECRET: '',
      }),
      startExpectingExit('apps/notifier/src/main.ts', { ...stackEnv(), TF_ENV: 'production', TF_WEBHOOK_SECRET: '' }),
    ]);
    expect([example.code, example.output]).toEqual([
      expect.any(Number),
      expect.stringContaining('TF_BOOTSTRAP_API_KEY is the documented example key'),
    ]);
    expect([gatewayProduction.code, gatewayProduction.output]).toEqual([
      expect.any(Number),
      expect.stringContaining('TF_PLAYBACK_SECRET is required when TF_ENV=production'),
    ]);
    expect([notifierProduction.code, notifierProduction.output]).toEqual([
      expect.any(Number),
      expect.stringContaining('TF_WEBHOOK_SECRET is required when TF_ENV=production'),
    ]);
    for (const run of [example, gatewayProduction, notifierProduction]) expect(run.code).not.toBe(0);
    // None of them got as far as making the key.
    const { rows } = await db.query('SELECT count(*)::int AS n FROM gateway.api_keys WHERE key_hash = $1', [
      hashApiKey(strongKey),
    ]);
    expect(rows[0].n).toBe(0);
  });

  it('a gateway started with another bootstrap key retires the old one (401), and configuring it again brings it back', async () => {
    const old = await startingFirst;
    expect((await listJobs(old.url, first)).status).toBe(200);

    // The key is replaced: the new replica retires the first key, and the replica still running with
    // it (the whole deployment shares the key table) refuses it at once too.
    gateway = await startGateway({ TF_BOOTSTRAP_API_KEY: second });
    for (const url of [gateway.url, old.url]) {
      const retired = await listJobs(url, first);
      expect([retired.status, retired.json().code]).toEqual([401, 'INVALID_API_KEY']);
    }
    await old.stop();
    expect((await listJobs(gateway.url, second)).status).toBe(200);
    const { rows } = await db.query(
      'SELECT key_hash, bootstrap, platform_admin, revoked_at IS NOT NULL AS revoked, retired_at IS NOT NULL AS retired FROM gateway.api_keys WHERE key_hash = ANY($1)',
      [[hashApiKey(first), hashApiKey(second)]],
    );
    const byHash = Object.fromEntries(rows.map((r) => [r.key_hash, r]));
    expect(byHash[hashApiKey(first)]).toMatchObject({
      bootstrap: true,
      platform_admin: true,
      revoked: true,
      retired: true,
    });
    expect(byHash[hashApiKey(second)]).toMatchObject({
      bootstrap: true,
      platform_admin: true,
      revoked: false,
      retired: false,
    });

    // A second replica configured with the first key again (a rolled-back deployment): it works again,
    // and the second key stops working on the replica already running, at once.
    const rolledBack = await startGateway({ TF_BOOTSTRAP_API_KEY: first });
    const stale = gateway;
    gateway = rolledBack;
    adminKey = first;
    expect((await listJobs(rolledBack.url, first)).status).toBe(200);
    expect((await listJobs(stale.url, second)).status).toBe(401);
    expect((await listJobs(stale.url, first)).status).toBe(200);
    await stale.stop();
  });

  it('builds playback URLs on the configured public URL, whatever Host the request names', async () => {
    // The replica the previous test left running with its key; run alone (or after it failed): a fresh one.
    const key = adminKey ?? newBootstrapKey();
    if (!adminKey || !gateway) {
      await gateway?.stop();
      gateway = await startGateway({ TF_BOOTSTRAP_API_KEY: key });
    }
    const g: GatewayProcess = gateway;
    const fixtures = await JobFixtures.open();
    try {
      const job = await fixtures.create('default', { enable_hls: true });
      await db.query(`UPDATE gateway.jobs SET packaged = $2 WHERE id = $1`, [
        job.id,
        { master: { bucket: 'hls-streams', key: `${job.id}/master.m3u8` }, variants: [], has_subtitles: false },
      ]);
      const mint = (headers: Record<string, string>) =>
        send(`${g.url}/api/v1/jobs/${job.id}/playback`, { method: 'POST', headers: { 'X-API-Key': key, ...headers } });
      const honest = await mint({});
      const spoofed = await mint({
        Host: 'evil.example.com',
        'X-Forwarded-Host': 'evil.example.com',
        'X-Forwarded-Proto': 'https',
      });
      expect([honest.status, spoofed.status]).toEqual([200, 200]);
      // startGateway's TF_HTTP_PORT makes the local default public URL http://127.0.0.1:<port>.
      expect(honest.json<{ url: string }>().url.startsWith(`${g.url}/playback/${job.id}/`)).toBe(true);
      expect(spoofed.json<{ url: string }>().url.startsWith(`${g.url}/playback/${job.id}/`)).toBe(true);
      expect(spoofed.body).not.toContain('evil.example.com');
    } finally {
      await fixtures.close();
    }
  });
});
