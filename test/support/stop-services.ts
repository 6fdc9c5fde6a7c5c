// Stage tests start their own replicas in the real consumer groups, so the background services of
// scripts/services.sh must not be running beside them: they are stopped before the first file, before
// each file that does not use them, and after the last one. End-to-end files bring them up themselves
// (test/pipeline/pipeline-harness.ts ensureServicesUp) and run one after the other (background-services.js).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export function stopBackgroundServices(): void {
  execFileSync('bash', ['scripts/services.sh', 'down', '--keep-stack'], {
    cwd: join(__dirname, '../..'),
    stdio: 'ignore',
  });
}
