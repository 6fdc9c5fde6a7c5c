import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deploymentEnv, requiredInProduction } from './deployment-env';
import { localStackSecretsPath, readLocalStackSecrets } from './local-stack-secrets';
import { EXAMPLE_SECRETS, MIN_SECRET_LENGTH, signingSecret } from './signing-secret';

const STRONG = 'Vq3x_8LrT0bZk-2NwYc5Hs7Jd9Fg1Ma4Pe6Ru0Xi2O';

describe('deploymentEnv (TF_ENV)', () => {
  it('is development unless set to production', () => {
    expect(deploymentEnv({})).toBe('development');
    expect(deploymentEnv({ TF_ENV: '' })).toBe('development');
    expect(deploymentEnv({ TF_ENV: 'development' })).toBe('development');
    expect(deploymentEnv({ TF_ENV: 'production' })).toBe('production');
  });

  it.each(['prod', 'Production', 'staging', 'true'])(
    'refuses %p, naming TF_ENV (a typo must not drop the production checks)',
    (value) => {
      expect(() => deploymentEnv({ TF_ENV: value })).toThrow(/^TF_ENV must be production or development/);
    },
  );
});

describe('requiredInProduction', () => {
  it('keeps the local default outside production and refuses it in production', () => {
    expect(requiredInProduction({}, 'TF_X', 'local')).toBe('local');
    expect(requiredInProduction({ TF_ENV: 'production', TF_X: 'set' }, 'TF_X', 'local')).toBe('set');
    expect(() => requiredInProduction({ TF_ENV: 'production' }, 'TF_X', 'local')).toThrow(
      /^TF_X is required when TF_ENV=production/,
    );
  });
});

describe('signingSecret', () => {
  it('takes a set value as it is', () => {
    expect(signingSecret({ TF_S: STRONG }, 'TF_S')).toEqual({ value: STRONG, generated: false });
    expect(signingSecret({ TF_ENV: 'production', TF_S: STRONG }, 'TF_S')).toEqual({ value: STRONG, generated: false });
  });

  it('outside production, an unset secret is random and of this call only: nothing public signs', () => {
    const a = signingSecret({}, 'TF_S');
    const b = signingSecret({ TF_S: '' }, 'TF_S');
    expect(a.generated && b.generated).toBe(true);
    expect(a.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.value).not.toBe(b.value);
  });

  it('in production, refuses a missing, short or example secret with a message naming the variable', () => {
    const prod = (value?: string) => () =>
      signingSecret({ TF_ENV: 'production', ...(value === undefined ? {} : { TF_S: value }) }, 'TF_S');
    expect(prod()).toThrow(/^TF_S is required when TF_ENV=production/);
    expect(prod('')).toThrow(/^TF_S is required when TF_ENV=production/);
    expect(prod(STRONG.slice(0, MIN_SECRET_LENGTH - 1))).toThrow(
      /^TF_S is too short for TF_ENV=production: 31 characters/,
    );
    expect(prod(STRONG.slice(0, MIN_SECRET_LENGTH))()).toMatchObject({ generated: false });
  });

  it.each([...EXAMPLE_SECRETS])('refuses the published value %p everywhere', (value) => {
    expect(() => signingSecret({ TF_S: value }, 'TF_S')).toThrow(/^TF_S is a published example value/);
    expect(() => signingSecret({ TF_ENV: 'production', TF_S: value }, 'TF_S')).toThrow(
      /^TF_S is a published example value/,
    );
  });
});

describe('local stack secrets file', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tf-secrets-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("lives in TF_STACK_DIR, else the checkout's .stack", () => {
    expect(localStackSecretsPath('/repo', {})).toBe('/repo/.stack/secrets.env');
    expect(localStackSecretsPath('/repo', { TF_STACK_DIR: dir })).toBe(join(dir, 'secrets.env'));
  });

  it('reads NAME=value lines and is empty when there is no file', () => {
    const file = join(dir, 'secrets.env');
    expect(readLocalStackSecrets(file)).toEqual({});
    writeFileSync(file, '# generated\nTF_BOOTSTRAP_API_KEY=tfk_abc\nTF_PLAYBACK_SECRET=p=q\n\n');
    chmodSync(file, 0o600);
    expect(readLocalStackSecrets(file)).toEqual({ TF_BOOTSTRAP_API_KEY: 'tfk_abc', TF_PLAYBACK_SECRET: 'p=q' });
  });
});
