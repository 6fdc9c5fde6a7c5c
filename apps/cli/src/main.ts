// tflow, the Transcode Flow CLI: bin/tflow.js runs this (and hands `tflow admin …` to the gateway's
// admin entry point). Exit codes: exit-codes.ts (0 ok, 1 job failed, 2 usage, 3 auth, 4 not found, 5 server/network).
import { ExitCode } from './exit-codes';
import { TerminalIo, stopQuietlyOnBrokenPipe } from './io';
import { buildProgram } from './program';
import { runCli } from './runner';

const exit = (code: number) => process.exit(code);
stopQuietlyOnBrokenPipe(process.stdout, exit);
stopQuietlyOnBrokenPipe(process.stderr, exit);

const io: TerminalIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  interactive: process.stderr.isTTY === true,
  progressStream: process.stderr,
};

let exitCode: ExitCode = ExitCode.OK;
const program = buildProgram(io, (code) => (exitCode = code));

void runCli(
  program,
  process.argv.slice(2),
  { errRaw: (t) => process.stderr.write(t), err: io.err },
  () => exitCode,
).then((code) => {
  process.exitCode = code;
});
