// The six services of scripts/services.sh, as the benches that go through them see them: the key the
// local stack generated, and a wait until no integration run is stopping them under the bench.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { request } from 'undici';
import { localStackSecretsPath, readLocalStackSecrets } from '@tf/config';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The key scripts/services.sh generated for this stack (read when first used: `up` may create it). */
export const localApiKey = (): string =>
  process.env.TF_API_KEY ??
  process.env.TF_BOOTSTRAP_API_KEY ??
  readLocalStackSecrets(localStackSecretsPath(REPO_ROOT)).TF_BOOTSTRAP_API_KEY ??
  '';

/**
 * Integration test files stop the services of scripts/services.sh before and after each file (their stage tests
 * start replicas of their own in the same consumer groups; test/support/stop-services.ts). A bench job
 * therefore waits until no integration run is going on, then brings the services up.
 */
function integrationRuns(): number {
  return execFileSync('ps', ['-eo', 'args'])
    .toString()
    .split('\n')
    .filter((a) => a.includes('jest.integration.config') && /(^|\/)jest /.test(a.replace(/^node /, ''))).length;
}

async function gatewayHealthy(): Promise<boolean> {
  return request('http://127.0.0.1:10080/health').then(
    async (r) => (await r.body.text(), r.statusCode === 200),
    () => false,
  );
}

/** Waits (at most `waitMin` minutes) for integration runs to end, then makes sure every service is up. */
export async function servicesReady(waitMin: number): Promise<void> {
  const deadline = Date.now() + waitMin * 60_000;
  for (let said = false; integrationRuns() > 0; said = true) {
    if (Date.now() > deadline) throw new Error(`integration tests kept running for ${waitMin} min (--wait-min)`);
    if (!said)
      console.log(`waiting for ${integrationRuns()} integration test run(s) to finish (they stop the services) ...`);
    await new Promise((r) => setTimeout(r, 15_000));
  }
  for (let attempt = 1; ; attempt++) {
    if (
      (await gatewayHealthy()) &&
      !execFileSync('bash', ['scripts/services.sh', 'status'], { cwd: REPO_ROOT }).toString().includes(': down')
    )
      return;
    try {
      execFileSync('bash', ['scripts/services.sh', 'up'], { cwd: REPO_ROOT, stdio: 'inherit' });
      return;
    } catch (error) {
      // A test run's `services.sh down` can land in the middle of the start-up.
      if (attempt >= 3) throw error;
      await new Promise((r) => setTimeout(r, 10_000));
    }
  }
}
