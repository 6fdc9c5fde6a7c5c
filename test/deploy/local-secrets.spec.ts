import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { bootstrapKeyProblem } from '../../apps/gateway/src/access/api-key';

// The local stack's secrets as scripts/services.sh makes them (the same function runs for `up` and
// `restart`): generated once per stack directory, then the same on every start.
const root = join(__dirname, '../..');
const run = promisify(execFile);

describe('local stack secrets (scripts/services.sh, scripts/lib/local-secrets.sh)', () => {
  let stackDir: string;
  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
    const base: NodeJS.ProcessEnv = { ...process.env, TF_STACK_DIR: stackDir, ...extra };
    for (const name of ['TF_BOOTSTRAP_API_KEY', 'TF_PLAYBACK_SECRET', 'TF_WEBHOOK_SECRET'])
      if (!(name in extra)) delete base[name];
    return base;
  };
  const services = (args: string[], extra?: Record<string, string>) =>
    execFileSync('bash', ['scripts/services.sh', ...args], { cwd: root, env: env(extra), encoding: 'utf8' }).trim();
  const secrets = (extra?: Record<string, string>) =>
    Object.fromEntries(
      services(['secrets'], extra)
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );

  beforeEach(() => (stackDir = mkdtempSync(join(tmpdir(), 'tf-stack-'))));
  afterEach(() => rmSync(stackDir, { recursive: true, force: true }));

  it('generates a valid random admin key and signing secrets once, in <stack>/secrets.env (mode 600), and keeps them for every later start', () => {
    const first = secrets();
    expect(bootstrapKeyProblem(first.TF_BOOTSTRAP_API_KEY)).toBeUndefined();
    expect(first.TF_PLAYBACK_SECRET).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.TF_WEBHOOK_SECRET).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(Object.values(first)).size).toBe(3);
    const file = join(stackDir, 'secrets.env');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain(`TF_BOOTSTRAP_API_KEY=${first.TF_BOOTSTRAP_API_KEY}\n`);

    expect(secrets()).toEqual(first);
    expect(services(['key'])).toBe(first.TF_BOOTSTRAP_API_KEY);
  });

  it('another stack directory gets its own secrets', () => {
    const first = secrets();
    const other = mkdtempSync(join(tmpdir(), 'tf-stack-'));
    try {
      const theirs = Object.fromEntries(
        execFileSync('bash', ['scripts/services.sh', 'secrets'], {
          cwd: root,
          env: { ...env(), TF_STACK_DIR: other },
          encoding: 'utf8',
        })
          .trim()
          .split('\n')
          .map((l) => l.split('=', 2)),
      );
      expect(theirs.TF_BOOTSTRAP_API_KEY).not.toBe(first.TF_BOOTSTRAP_API_KEY);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('a variable set in the environment wins, and the file keeps its own value for the next start', () => {
    const first = secrets();
    const mine = 'tfk_Vq3x_8LrT0bZk-2NwYc5Hs7Jd9Fg1Ma4Pe6Ru0Xi2O';
    expect(secrets({ TF_BOOTSTRAP_API_KEY: mine })).toEqual({ ...first, TF_BOOTSTRAP_API_KEY: mine });
    expect(secrets()).toEqual(first);
  });

  it('four first starts at once agree on one key', async () => {
    const keys = await Promise.all(
      [1, 2, 3, 4].map(() =>
        run('bash', ['scripts/services.sh', 'key'], { cwd: root, env: env() }).then((r) => r.stdout.trim()),
      ),
    );
    expect(new Set(keys).size).toBe(1);
    expect(services(['key'])).toBe(keys[0]);
  });
});
