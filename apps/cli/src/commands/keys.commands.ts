import type { TranscodeFlowClient } from '@tf/client';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { CreateKeyRequest, Key } from '../api';
import { ClientFactory, ConnectionOptions, apiCommand, clientOf, defaultClientFactory } from '../connection';
import type { CliIo } from '../io';
import { formatKeys } from '../output/key-format';
import { printable } from '../output/printable';

const integer =
  (min: number, max = Number.MAX_SAFE_INTEGER) =>
  (raw: string): number => {
    const n = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
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

/** The key limit overrides, as options of `keys create` (and of `tflow admin create-key`). */
const limitOptions = (): Option[] => [
  new Option('--rate-limit-capacity <n>', 'token bucket size (burst); default TF_RATE_LIMIT_CAPACITY').argParser(
    integer(1, 1_000_000),
  ),
  new Option('--rate-limit-refill <per-s>', 'tokens per second; default TF_RATE_LIMIT_REFILL_PER_S').argParser(
    positiveNumber,
  ),
  new Option('--quota-storage-bytes <n>', "the tenant's stored source bytes; default TF_QUOTA_STORAGE_BYTES").argParser(
    integer(0),
  ),
  new Option('--quota-jobs-per-day <n>', "the tenant's jobs per UTC day; default TF_QUOTA_JOBS_PER_DAY").argParser(
    integer(0),
  ),
  new Option(
    '--quota-concurrent-jobs <n>',
    "the tenant's queued+processing jobs; default TF_QUOTA_CONCURRENT_JOBS",
  ).argParser(integer(0)),
  new Option('--max-upload-bytes <n>', 'largest upload; default (and cap) TF_MAX_UPLOAD_BYTES').argParser(integer(1)),
];

/** The overrides given (the others take the deployment's defaults). */
function limitsFrom(o: LimitOptions): NonNullable<CreateKeyRequest['limits']> {
  const limits = {
    rate_limit_capacity: o.rateLimitCapacity,
    rate_limit_refill_per_s: o.rateLimitRefill,
    quota_storage_bytes: o.quotaStorageBytes,
    quota_jobs_per_day: o.quotaJobsPerDay,
    quota_concurrent_jobs: o.quotaConcurrentJobs,
    max_upload_bytes: o.maxUploadBytes,
  };
  return Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined));
}

/**
 * The one key an id or prefix (as `keys list` shows it, with or without its "…") names, among the keys
 * the caller's key may manage; when several share a prefix, the one still active.
 */
async function keyNamed(client: TranscodeFlowClient, ref: string): Promise<Key> {
  const wanted = ref.replace(/…$/, '');
  const rows = (await client.listKeys()).filter((k) => k.id === wanted || k.prefix === wanted);
  const active = rows.filter((k) => k.state !== 'revoked');
  if (rows.length === 1) return rows[0];
  if (active.length === 1) return active[0];
  if (rows.length === 0) throw new Error(`no key matches ${ref}`);
  throw new Error(`${rows.length} keys match ${ref}; name the key by its id`);
}

/**
 * `tflow keys create|list|rotate|revoke`: the admin API (/api/v1/admin/keys) with an admin key: a
 * platform admin's reaches every tenant, a tenant admin's its own. The very first key, before any
 * admin key exists, is made on the database: `tflow admin create-key` (apps/gateway/src/admin.main.ts).
 */
export function keysCommand(io: CliIo, factory: ClientFactory = defaultClientFactory): Command {
  const keys = new Command('keys').description(
    'manage API keys through the admin API (an admin key; the first one: tflow admin create-key)',
  );

  const create = apiCommand('create')
    .description('create a key and print it once: only its hash is stored')
    .option('--tenant <tenant>', "tenant whose jobs the key reaches (default: the admin key's own)")
    .option('--scopes <scopes>', 'comma-separated: jobs:read, jobs:write, admin', 'jobs:read,jobs:write')
    .option('--name <name>', 'a note to recognise the key by')
    .option('--platform-admin', 'may manage the keys of every tenant through the admin API');
  for (const o of limitOptions()) create.addOption(o);
  create.action(
    async (
      opts: ConnectionOptions &
        LimitOptions & { tenant?: string; scopes: string; name?: string; platformAdmin?: boolean },
    ) => {
      const created = await clientOf(opts, factory).createKey({
        tenant_id: opts.tenant?.trim(),
        // As typed: the API checks the names (400 VALIDATION_FAILED lists the known ones).
        scopes: opts.scopes
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean) as CreateKeyRequest['scopes'],
        name: opts.name ?? null,
        platform_admin: !!opts.platformAdmin,
        limits: limitsFrom(opts),
      });
      if (opts.json) io.out(JSON.stringify(created));
      else {
        io.out(created.key);
        io.err(
          `created key ${created.prefix}… (id ${created.id}) for tenant ${printable(created.tenant_id)} with ${created.scopes.join(',')}; it is not shown again`,
        );
      }
    },
  );

  const list = apiCommand('list')
    .description('list keys (prefix, tenant, scopes, state, limits, name); never the keys themselves')
    .option('--tenant <tenant>', 'only this tenant')
    .action(async (opts: ConnectionOptions & { tenant?: string }) => {
      const rows = await clientOf(opts, factory).listKeys({ tenantId: opts.tenant });
      if (opts.json) rows.forEach((k) => io.out(JSON.stringify(k)));
      else formatKeys(rows).forEach((line) => io.out(line));
    });
  list.options.find((o) => o.long === '--json')!.description = 'one JSON object per line';

  const rotate = apiCommand('rotate')
    .description('issue a replacement key (same tenant, scopes, name, limits), print it once, and revoke the old one')
    .argument('<id-or-prefix>')
    .addOption(
      new Option('--grace <seconds>', 'the old key keeps working this long (the API caps it)')
        .argParser(integer(0))
        .default(0),
    )
    .action(async (ref: string, opts: ConnectionOptions & { grace: number }) => {
      const client = clientOf(opts, factory);
      const rotated = await client.rotateKey((await keyNamed(client, ref)).id, opts.grace);
      if (opts.json) io.out(JSON.stringify(rotated));
      else {
        io.out(rotated.key);
        const when = opts.grace > 0 ? `at ${rotated.replaced.revoked_at}` : 'now';
        io.err(
          `rotated ${rotated.replaced.prefix}… (id ${rotated.replaced.id}) → ${rotated.prefix}… (id ${rotated.id}); the old key stops working ${when}`,
        );
      }
    });

  const revoke = apiCommand('revoke')
    .description('revoke a key by id or by its prefix, at once on every gateway replica')
    .argument('<id-or-prefix>')
    .action(async (ref: string, opts: ConnectionOptions) => {
      const client = clientOf(opts, factory);
      const key = await keyNamed(client, ref);
      if (key.state === 'revoked') throw new Error(`no active key matches ${ref}`);
      const revoked = await client.revokeKey(key.id);
      if (opts.json) io.out(JSON.stringify(revoked));
      io.err('revoked 1 key(s)');
    });

  return keys.addCommand(create).addCommand(list).addCommand(rotate).addCommand(revoke);
}
