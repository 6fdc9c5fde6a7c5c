import { TranscodeFlowClient } from '@tf/client';
import { localStackSecretsPath, readLocalStackSecrets } from '@tf/config';
import { Command, Option } from 'commander';
import { join } from 'node:path';
import { CliError, ExitCode } from './exit-codes';

/** The gateway `npm run up` starts, the one --api-url defaults to. */
const LOCAL_API_URL = 'http://127.0.0.1:10080';

export interface ConnectionOptions {
  apiUrl?: string;
  apiKey?: string;
  json?: boolean;
}

export type ClientFactory = (options: { baseUrl?: string; apiKey?: string }) => TranscodeFlowClient;

export const defaultClientFactory: ClientFactory = (options) => new TranscodeFlowClient(options);

const REPO_ROOT = join(__dirname, '../../..');

/**
 * The local stack's admin key (.stack/secrets.env, made by `npm run up`), only for the local gateway:
 * never sent to another --api-url.
 */
function localStackKey(apiUrl: string | undefined): string | undefined {
  if ((apiUrl ?? LOCAL_API_URL).replace(/\/+$/, '') !== LOCAL_API_URL) return undefined;
  return readLocalStackSecrets(localStackSecretsPath(REPO_ROOT)).TF_BOOTSTRAP_API_KEY;
}

/** A command that talks to the gateway: --api-url, --api-key and --json. */
export function apiCommand(name: string): Command {
  return new Command(name)
    .addOption(new Option('--api-url <url>', 'gateway base URL').env('TF_API_URL').default(LOCAL_API_URL))
    .addOption(
      new Option(
        '--api-key <key>',
        'API key (default: $TF_API_KEY, then $TF_BOOTSTRAP_API_KEY, then for the local gateway the key `npm run up` made)',
      ),
    )
    .option('--json', "print the API's JSON instead of text");
}

/** The client of the gateway the options name, with the first key found (see apiCommand). */
export function clientOf(opts: ConnectionOptions, factory: ClientFactory): TranscodeFlowClient {
  const apiKey =
    opts.apiKey ?? process.env.TF_API_KEY ?? process.env.TF_BOOTSTRAP_API_KEY ?? localStackKey(opts.apiUrl);
  if (!apiKey)
    throw new CliError(
      ExitCode.AUTH,
      'MISSING_API_KEY',
      'no API key: pass --api-key or set TF_API_KEY (locally, `npm run up` makes one)',
    );
  return factory({ baseUrl: opts.apiUrl, apiKey });
}
