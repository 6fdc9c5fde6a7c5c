import type { Key } from '../api';
import { printable } from './printable';
import { formatTable } from './table';

const limitsText = (limits: Key['limits']): string =>
  Object.entries(limits)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

const HEADER = ['ID', 'PREFIX', 'TENANT', 'SCOPES', 'STATE', 'ADMIN', 'LIMITS', 'NAME'];

/**
 * `keys list`: a header, then one aligned line per key (never the key itself). A key's name is the
 * last column and printed escaped: whatever it holds, it cannot start another line.
 */
export function formatKeys(keys: Key[]): string[] {
  if (keys.length === 0) return ['no keys'];
  const rows = keys.map((k) => [
    k.id,
    `${k.prefix}…`,
    printable(k.tenant_id),
    k.scopes.join(','),
    k.state === 'active' ? 'active' : `${k.state} ${k.revoked_at ?? ''}`.trim(),
    k.platform_admin ? 'platform' : '-',
    limitsText(k.limits) || '-',
    k.name === null ? '-' : printable(k.name),
  ]);
  return formatTable(HEADER, rows);
}
