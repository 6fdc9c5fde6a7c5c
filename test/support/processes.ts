import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '../..');

/** Children started by this test file that have not exited yet: after-each-file kills what a failed test left. */
const live = new Set<ChildProcess>();

export interface ServiceProcess {
  child: ChildProcess;
  output: () => string;
  waitForOutput: (pattern: RegExp, timeoutMs?: number) => Promise<void>;
  kill: (signal?: NodeJS.Signals) => Promise<void>;
}

/** Starts a TypeScript entry point (run from source through @swc-node/register) as a child process. */
export function startTsProcess(entry: string, env: Record<string, string> = {}): ServiceProcess {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(repoRoot, entry)], {
    cwd: repoRoot,
    // Test receivers listen on 127.0.0.1: webhooks may reach private addresses unless a test says otherwise.
    // A gateway a test starts opens no console listener (port 18080 is the background gateway's) unless asked.
    env: {
      TF_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      TF_CONSOLE_PORT: '0',
      ...process.env,
      TF_LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let output = '';
  const onData = (d: Buffer) => {
    output += d.toString();
    if (output.length > 2_000_000) output = output.slice(-1_000_000);
    if (process.env.TF_TEST_VERBOSE) process.stderr.write(d);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  return {
    child,
    output: () => output,
    waitForOutput: async (pattern, timeoutMs = 90_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output)) {
        if (child.exitCode !== null)
          throw new Error(`${entry} exited (${child.exitCode}) before ${pattern}:\n${output.slice(-4000)}`);
        if (Date.now() > deadline)
          throw new Error(`${entry}: no ${pattern} within ${timeoutMs} ms:\n${output.slice(-4000)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    kill: async (signal = 'SIGTERM') => {
      if (signal === 'SIGTERM') return stopChild(child);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
}

/**
 * Stops every child of this test file still running (SIGTERM, then SIGKILL after 15 s), so a file
 * that failed half-way leaks no consumer-group member into the next file.
 */
export async function stopLeftoverProcesses(): Promise<void> {
  await Promise.all([...live].map((child) => stopChild(child)));
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
