import type { Key } from '../api';
import { formatKeys } from './key-format';

const key = (over: Partial<Key> = {}): Key => ({
  id: '00000000-0000-4000-8000-000000000001',
  prefix: 'tfk_abcdefgh',
  tenant_id: 'acme',
  name: 'ci',
  scopes: ['jobs:read', 'jobs:write'],
  platform_admin: false,
  state: 'active',
  limits: {
    rate_limit_capacity: 7,
    rate_limit_refill_per_s: null,
    quota_storage_bytes: null,
    quota_jobs_per_day: 3,
    quota_concurrent_jobs: null,
    max_upload_bytes: null,
  },
  created_at: '2026-12-01T00:00:00.000Z',
  revoked_at: null,
  replaced_by: null,
  ...over,
});

describe('keys list output', () => {
  it('starts with a header and aligns one line per key', () => {
    const lines = formatKeys([
      key(),
      key({
        id: '00000000-0000-4000-8000-000000000002',
        prefix: 'tfk_zzzzzzzz',
        tenant_id: 'default',
        name: null,
        scopes: ['admin'],
        platform_admin: true,
        state: 'expiring',
        revoked_at: '2026-12-02T00:00:00.000Z',
        limits: { ...key().limits, rate_limit_capacity: null, quota_jobs_per_day: null },
      }),
    ]);
    expect(lines[0].split(/\s+/)).toEqual(['ID', 'PREFIX', 'TENANT', 'SCOPES', 'STATE', 'ADMIN', 'LIMITS', 'NAME']);
    expect(lines[1].split(/\s{2,}/)).toEqual([
      '00000000-0000-4000-8000-000000000001',
      'tfk_abcdefgh…',
      'acme',
      'jobs:read,jobs:write',
      'active',
      '-',
      'rate_limit_capacity=7,quota_jobs_per_day=3',
      'ci',
    ]);
    expect(lines[2].split(/\s{2,}/)).toEqual([
      '00000000-0000-4000-8000-000000000002',
      'tfk_zzzzzzzz…',
      'default',
      'admin',
      'expiring 2026-12-02T00:00:00.000Z',
      'platform',
      '-',
      '-',
    ]);
    expect(lines[0].indexOf('NAME')).toBe(lines[1].indexOf(' ci') + 1);
    expect(formatKeys([])).toEqual(['no keys']);
  });

  it('prints a name that holds line breaks or escape sequences on its own line, escaped', () => {
    const forged =
      'x\n00000000-0000-4000-8000-00000000dead  tfk_forged…  acme  admin  active  platform  -  root\x1b[8m';
    const lines = formatKeys([key({ name: forged })]);
    expect(lines).toHaveLength(2);
    expect(
      lines[1].endsWith(
        '  x\\n00000000-0000-4000-8000-00000000dead  tfk_forged…  acme  admin  active  platform  -  root\\x1b[8m',
      ),
    ).toBe(true);
    expect(lines.join('\n')).not.toContain('\x1b');
  });
});
