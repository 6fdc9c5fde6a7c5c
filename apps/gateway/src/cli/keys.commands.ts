import { Command } from 'commander';
import { parseScopes } from '../auth/api-key';
import { ApiKeysService } from '../auth/api-keys.service';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** `tflow keys create|list|revoke`. `withKeys` opens the gateway database for the length of one command. */
export function keysCommand(withKeys: <T>(fn: (keys: ApiKeysService) => Promise<T>) => Promise<T>, io: CliIo): Command {
  const keys = new Command('keys').description('manage API keys (stored hashed in gateway.api_keys)');

  keys
    .command('create')
    .description('create a key and print it once: only its hash is stored')
    .requiredOption('--tenant <tenant>', 'tenant whose jobs the key reaches')
    .option('--scopes <scopes>', 'comma-separated: jobs:read, jobs:write, admin', 'jobs:read,jobs:write')
    .option('--name <name>', 'a note to recognise the key by')
    .option('--json', 'print the key and its details as JSON')
    .action(async (opts: { tenant: string; scopes: string; name?: string; json?: boolean }) => {
      const scopes = parseScopes(opts.scopes);
      const created = await withKeys((k) => k.create(opts.tenant.trim(), scopes, opts.name ?? null));
      if (opts.json) io.out(JSON.stringify(created));
      else {
        io.out(created.key);
        io.err(`created key ${created.prefix}… (id ${created.id}) for tenant ${created.tenantId} with ${created.scopes.join(',')}; it is not shown again`);
      }
    });

  keys
    .command('list')
    .description('list keys (prefix, tenant, scopes, state); never the keys themselves')
    .option('--tenant <tenant>', 'only this tenant')
    .action(async (opts: { tenant?: string }) => {
      const rows = await withKeys((k) => k.list(opts.tenant));
      for (const r of rows) {
        io.out([r.id, `${r.prefix}…`, r.tenantId, r.scopes.join(','), r.revokedAt ? `revoked ${r.revokedAt.toISOString()}` : 'active', r.name ?? ''].join('\t'));
      }
    });

  keys
    .command('revoke')
    .description('revoke a key by id or by its prefix')
    .argument('<id-or-prefix>')
    .action(async (idOrPrefix: string) => {
      const n = await withKeys((k) => k.revoke(idOrPrefix.replace(/…$/, '')));
      if (n === 0) throw new Error(`no active key matches ${idOrPrefix}`);
      io.err(`revoked ${n} key(s)`);
    });

  return keys;
}
