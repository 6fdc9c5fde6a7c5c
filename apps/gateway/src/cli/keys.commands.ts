import { Command, InvalidArgumentError, Option } from 'commander';
import { keyState, parseScopes } from '../access/api-key';
import type { ApiKeyEntity } from '../access/api-key.entity';
import { limitsOf } from '../access/api-keys.repository';
import { ApiKeysService, MAX_ROTATION_GRACE_S } from '../access/api-keys.service';
import { KeyLimits, mergeLimits, NO_OVERRIDES } from '../limits/key-limits';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

const integer =
  (min: number, max = Number.MAX_SAFE_INTEGER) =>
  (raw: string): number => {
    const n = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return n;
  };

const positiveNumber = (raw: string): number => {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number above 0');
  return n;
};

interface LimitOptions {
  rateLimitCapacity?: number;
  rateLimitRefill?: number;
  quotaStorageBytes?: number;
  quotaJobsPerDay?: number;
  quotaConcurrentJobs?: number;
  maxUploadBytes?: number;
}

const limitOptions = [
  new Option('--rate-limit-capacity <n>', 'token bucket size (burst); default TF_RATE_LIMIT_CAPACITY').argParser(integer(1, 1_000_000)),
  new Option('--rate-limit-refill <per-s>', 'tokens per second; default TF_RATE_LIMIT_REFILL_PER_S').argParser(positiveNumber),
  new Option('--quota-storage-bytes <n>', "the tenant's stored source bytes; default TF_QUOTA_STORAGE_BYTES").argParser(integer(0)),
  new Option('--quota-jobs-per-day <n>', "the tenant's jobs per UTC day; default TF_QUOTA_JOBS_PER_DAY").argParser(integer(0)),
  new Option('--quota-concurrent-jobs <n>', "the tenant's queued+processing jobs; default TF_QUOTA_CONCURRENT_JOBS").argParser(integer(0)),
  new Option('--max-upload-bytes <n>', 'largest upload; default (and cap) TF_MAX_UPLOAD_BYTES').argParser(integer(1)),
];

function limitsFrom(o: LimitOptions): KeyLimits {
  return mergeLimits(NO_OVERRIDES, {
    rate_limit_capacity: o.rateLimitCapacity,
    rate_limit_refill_per_s: o.rateLimitRefill,
    quota_storage_bytes: o.quotaStorageBytes,
    quota_jobs_per_day: o.quotaJobsPerDay,
    quota_concurrent_jobs: o.quotaConcurrentJobs,
    max_upload_bytes: o.maxUploadBytes,
  });
}

/** The admin API's view of a key (never the key or its hash). */
const describe = (r: ApiKeyEntity) => ({
  id: r.id,
  prefix: r.prefix,
  tenant_id: r.tenantId,
  name: r.name,
  scopes: r.scopes,
  platform_admin: r.platformAdmin,
  state: keyState(r.revokedAt),
  limits: limitsOf(r),
  created_at: r.createdAt.toISOString(),
  revoked_at: r.revokedAt?.toISOString() ?? null,
  replaced_by: r.replacedBy,
});

const limitsText = (l: KeyLimits): string =>
  Object.entries(l)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

/**
 * `tflow keys create|list|rotate|revoke`: the operator's tool, straight on the gateway database
 * (so it works before any gateway runs, and across every tenant: it acts as a platform admin).
 * `withKeys` opens the gateway database for the length of one command.
 */
export function keysCommand(withKeys: <T>(fn: (keys: ApiKeysService) => Promise<T>) => Promise<T>, io: CliIo): Command {
  const keys = new Command('keys').description('manage API keys (stored hashed in gateway.api_keys)');

  const create = keys
    .command('create')
    .description('create a key and print it once: only its hash is stored')
    .requiredOption('--tenant <tenant>', 'tenant whose jobs the key reaches')
    .option('--scopes <scopes>', 'comma-separated: jobs:read, jobs:write, admin', 'jobs:read,jobs:write')
    .option('--name <name>', 'a note to recognise the key by')
    .option('--platform-admin', 'may manage the keys of every tenant through the admin API')
    .option('--json', 'print the key and its details as JSON');
  for (const o of limitOptions) create.addOption(o);
  create.action(async (opts: LimitOptions & { tenant: string; scopes: string; name?: string; platformAdmin?: boolean; json?: boolean }) => {
    const scopes = parseScopes(opts.scopes);
    const created = await withKeys((k) => k.create(opts.tenant.trim(), scopes, opts.name ?? null, { platformAdmin: !!opts.platformAdmin, limits: limitsFrom(opts) }));
    if (opts.json) io.out(JSON.stringify({ ...describe(created.row), key: created.key }));
    else {
      io.out(created.key);
      io.err(`created key ${created.prefix}… (id ${created.id}) for tenant ${created.tenantId} with ${created.scopes.join(',')}; it is not shown again`);
    }
  });

  keys
    .command('list')
    .description('list keys (prefix, tenant, scopes, state, limits); never the keys themselves')
    .option('--tenant <tenant>', 'only this tenant')
    .option('--json', 'one JSON object per line')
    .action(async (opts: { tenant?: string; json?: boolean }) => {
      const rows = await withKeys((k) => k.list(opts.tenant));
      for (const r of rows) {
        if (opts.json) {
          io.out(JSON.stringify(describe(r)));
          continue;
        }
        const d = describe(r);
        const state = d.state === 'active' ? 'active' : `${d.state} ${d.revoked_at}`;
        io.out([r.id, `${r.prefix}…`, r.tenantId, r.scopes.join(','), state, r.platformAdmin ? 'platform-admin' : '', limitsText(d.limits), r.name ?? ''].join('\t'));
      }
    });

  keys
    .command('rotate')
    .description('issue a replacement key (same tenant, scopes, name, limits), print it once, and revoke the old one')
    .argument('<id-or-prefix>')
    .addOption(new Option('--grace <seconds>', 'the old key keeps working this long').argParser(integer(0, MAX_ROTATION_GRACE_S)).default(0))
    .option('--json', 'print the new key and its details as JSON')
    .action(async (idOrPrefix: string, opts: { grace: number; json?: boolean }) => {
      const rotated = await withKeys((k) => k.rotate(idOrPrefix, opts.grace));
      if (opts.json) io.out(JSON.stringify({ ...describe(rotated.row), key: rotated.key, replaced: describe(rotated.old) }));
      else {
        io.out(rotated.key);
        const when = opts.grace > 0 ? `at ${rotated.old.revokedAt?.toISOString()}` : 'now';
        io.err(`rotated ${rotated.old.prefix}… (id ${rotated.old.id}) → ${rotated.prefix}… (id ${rotated.id}); the old key stops working ${when}`);
      }
    });

  keys
    .command('revoke')
    .description('revoke a key by id or by its prefix, at once on every gateway replica')
    .argument('<id-or-prefix>')
    .action(async (idOrPrefix: string) => {
      const n = await withKeys((k) => k.revoke(idOrPrefix.replace(/…$/, '')));
      if (n === 0) throw new Error(`no active key matches ${idOrPrefix}`);
      io.err(`revoked ${n} key(s)`);
    });

  return keys;
}
