import { accessConfig } from '../access/access.config';
import { gatewayConfig } from './gateway.config';

/** The gateway's settings as a whole: its own, and access's (the key re-check interval moved there). */
const settings = (env: NodeJS.ProcessEnv) => ({ ...gatewayConfig(env), ...accessConfig(env) });

describe('gateway config', () => {
  it('reads its variables; 0 for the recheck, expiry and sweep intervals means the default', () => {
    expect(settings({})).toMatchObject({
      maxUploadBytes: 10 * 1024 ** 3,
      presignExpirySeconds: 3600,
      keyRecheckMs: 5_000,
      uploadSweepIntervalMs: 60_000,
    });
    expect(
      settings({ TF_KEY_RECHECK_MS: '250', TF_UPLOAD_SWEEP_INTERVAL_S: '0', TF_PRESIGN_EXPIRY_S: '60' }),
    ).toMatchObject({ keyRecheckMs: 250, uploadSweepIntervalMs: 60_000, presignExpirySeconds: 60 });
  });

  it.each([
    'TF_MAX_UPLOAD_BYTES',
    'TF_PRESIGN_EXPIRY_S',
    'TF_SSE_HEARTBEAT_MS',
    'TF_KEY_RECHECK_MS',
    'TF_UPLOAD_EXPIRY_S',
    'TF_UPLOAD_SWEEP_INTERVAL_S',
    'TF_HTTP_REQUEST_TIMEOUT_MS',
  ])('refuses %s=abc and a negative value, naming the variable', (name) => {
    expect(() => settings({ [name]: 'abc' })).toThrow(new RegExp(`${name} must be a number`));
    expect(() => settings({ [name]: '-1' })).toThrow(new RegExp(`${name} must not be less than 0`));
  });
});
