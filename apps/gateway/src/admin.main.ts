// `tflow admin …` (bin/tflow.js hands it here): the gateway's commands that need its database and no
// running gateway, today the first admin key. Like immich-admin, a Nest application context over the
// gateway's own modules: the commands are providers, resolved through DI. Every other tflow command
// goes through the HTTP API (apps/cli).
import { ConsoleLogger, LogLevel, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Command, CommanderError } from 'commander';
import { CommandOutput, CreateKeyCommand, CreateKeyOptions } from './access/commands/create-key.command';
import { GatewayAdminModule } from './admin.module';

/** Nest's log lines (e.g. "waiting for Postgres") go to stderr: stdout carries the answer (a key). */
class StderrLogger extends ConsoleLogger {
  protected override printMessages(
    messages: unknown[],
    context?: string,
    logLevel?: LogLevel,
    _stream?: 'stdout' | 'stderr',
    errorStack?: unknown,
  ): void {
    super.printMessages(messages, context, logLevel, 'stderr', errorStack);
  }
}

const output: CommandOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Opens the admin context for one command: its database is connected (and migrated) only for a command that runs, not for --help. */
async function withCommand<T>(command: Type<T>, run: (command: T) => Promise<void>): Promise<void> {
  const app = await NestFactory.createApplicationContext(GatewayAdminModule, {
    logger: new StderrLogger('tflow admin', { logLevels: ['error', 'warn'] }),
  });
  try {
    await run(app.get(command));
  } finally {
    await app.close();
  }
}

export function adminProgram(): Command {
  return new Command('tflow admin')
    .description("the gateway's commands on its database, with no gateway running (every other command: tflow --help)")
    .addCommand(
      CreateKeyCommand.definition().action((opts: CreateKeyOptions) =>
        withCommand(CreateKeyCommand, (c) => c.run(opts, output)),
      ),
    );
}

/** Exit codes as tflow's: 0 ok, 1 failure, 2 usage. */
async function main(args: string[]): Promise<number> {
  const program = adminProgram();
  for (const c of [program, ...program.commands]) {
    c.exitOverride().configureOutput({
      outputError: (text, write) => write(`tflow admin: ${text.replace(/^error: /, '').trim()}\n`),
    });
  }
  try {
    await program.parseAsync(args, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    output.err(`tflow admin: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
