import { Injectable } from '@nestjs/common';
import { Command } from 'commander';
import { assertTenantId, parseScopes } from '../api-key';
import { ApiKeysService } from '../api-keys.service';
import { toKeyView } from '../key-view';

export interface CreateKeyOptions {
  tenant: string;
  scopes: string;
  name?: string;
  platformAdmin?: boolean;
  json?: boolean;
}

/** Where an admin command prints: the answer on `out` (stdout), commentary on `err` (stderr). */
export interface CommandOutput {
  out: (line: string) => void;
  err: (line: string) => void;
}

/**
 * `tflow admin create-key`: a key straight into gateway.api_keys, for when no admin key exists yet
 * (a fresh deployment without TF_BOOTSTRAP_API_KEY, or every admin key lost). Every other key is made
 * through the admin API (`tflow keys create`).
 */
@Injectable()
export class CreateKeyCommand {
  static definition(): Command {
    return new Command('create-key')
      .description('create a key on the database (the first admin key) and print it once: only its hash is stored')
      .requiredOption('--tenant <tenant>', 'tenant whose jobs the key reaches')
      .option('--scopes <scopes>', 'comma-separated: jobs:read, jobs:write, admin', 'jobs:read,jobs:write')
      .option('--name <name>', 'a note to recognise the key by')
      .option('--platform-admin', 'may manage the keys of every tenant through the admin API')
      .option('--json', 'print the key and its details as JSON');
  }

  constructor(private readonly keys: ApiKeysService) {}

  async run(opts: CreateKeyOptions, output: CommandOutput): Promise<void> {
    const tenant = assertTenantId(opts.tenant.trim());
    const created = await this.keys.create(tenant, parseScopes(opts.scopes), opts.name ?? null, {
      platformAdmin: !!opts.platformAdmin,
    });
    if (opts.json) output.out(JSON.stringify({ ...toKeyView(created.row), key: created.key }));
    else {
      output.out(created.key);
      output.err(
        `created key ${created.prefix}… (id ${created.id}) for tenant ${created.tenantId} with ${created.scopes.join(',')}; it is not shown again`,
      );
    }
  }
}
