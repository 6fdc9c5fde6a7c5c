import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { repoRoot } from './processes';

const exec = promisify(execFile);

/** A server of the local stack that a test may take away and bring back (scripts/stack.sh stop|start <server>). */
export type StackServer = 'kafka' | 'registry' | 's3' | 'postgres' | 'redis';

/** Stops one server of the stack. Only inside the stack lock (see the helpers' brief): every other test shares it. */
export async function stopServer(server: StackServer): Promise<void> {
  await exec('bash', ['scripts/stack.sh', 'stop', server], { cwd: repoRoot, maxBuffer: 10 * 1024 * 1024 });
}

/** Starts it again and waits until it answers (a no-op when it already does). */
export async function startServer(server: StackServer): Promise<void> {
  await exec('bash', ['scripts/stack.sh', 'start', server], { cwd: repoRoot, maxBuffer: 10 * 1024 * 1024 });
}
