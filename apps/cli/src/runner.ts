import { Command, CommanderError } from 'commander';
import { ExitCode, describeError, exitCodeFor } from './exit-codes';

export interface RunnerIo {
  /** Raw text for stderr (commander's messages and help). */
  errRaw: (text: string) => void;
  err: (line: string) => void;
}

/** Every command of the tree reports through the runner instead of calling process.exit. */
function routeOutput(command: Command, io: RunnerIo): void {
  command.exitOverride();
  command.configureOutput({
    writeErr: io.errRaw,
    outputError: (text, write) => write(`tflow: ${text.replace(/^error: /, '').trim()}\n`),
  });
  for (const sub of command.commands) routeOutput(sub, io);
}

const named = (command: Command | undefined, name: string) =>
  command?.commands.find((c) => c.name() === name || c.aliases().includes(name));

/**
 * The command router: parses `args` (without node and the script), runs the command and answers
 * its exit code (exit-codes.ts); an error is printed as one line on stderr. `tflow backfill …` is
 * dispatched to `tflow jobs backfill …` when that is where the backfill command lives.
 */
export async function runCli(cli: Command, args: string[], io: RunnerIo, exitCode: () => ExitCode): Promise<number> {
  routeOutput(cli, io);
  const routed =
    args[0] === 'backfill' && !named(cli, 'backfill') && named(named(cli, 'jobs'), 'backfill')
      ? ['jobs', ...args]
      : args;
  try {
    await cli.parseAsync(routed, { from: 'user' });
    return exitCode();
  } catch (e) {
    // commander printed its own message (usage errors) or the help already.
    if (!(e instanceof CommanderError)) io.err(`tflow: ${describeError(e)}`);
    return exitCodeFor(e);
  }
}
