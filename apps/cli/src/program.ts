import { Command } from 'commander';
import { version } from '../../../package.json';
import { jobsCommand } from './commands/backfill.command';
import { dlqCommand } from './commands/dlq.commands';
import { jobCommands } from './commands/job.commands';
import { keysCommand } from './commands/keys.commands';
import { opsCommand } from './commands/ops.commands';
import { ClientFactory, defaultClientFactory } from './connection';
import type { ExitCode } from './exit-codes';
import type { TerminalIo } from './io';

/** The version tflow reports: the repository's. */
export const VERSION: string = version;

/**
 * tflow's command tree: every command goes through the gateway's HTTP API (@tf/client). `tflow admin …`
 * (the database, no gateway needed) is not here: bin/tflow.js hands it to apps/gateway/src/admin.main.ts.
 */
export function buildProgram(
  io: TerminalIo,
  setExitCode: (code: ExitCode) => void,
  factory: ClientFactory = defaultClientFactory,
): Command {
  const program = new Command('tflow')
    .description('Transcode Flow: submit and follow jobs, manage keys and backfills, through the gateway API')
    .version(`tflow ${VERSION}`, '-V, --version', 'print the version')
    .addHelpText(
      'after',
      '\nWithout a gateway (on its database): tflow admin create-key …   (the first admin key; tflow admin --help)',
    );
  for (const command of jobCommands(io, setExitCode, factory)) program.addCommand(command);
  return program
    .addCommand(keysCommand(io, factory))
    .addCommand(jobsCommand(io, factory))
    .addCommand(opsCommand(io, factory))
    .addCommand(dlqCommand(io, factory));
}
