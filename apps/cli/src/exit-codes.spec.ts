import { ApiError } from '@tf/client';
import { CommanderError } from 'commander';
import { CliError, ExitCode, describeError, exitCodeFor, exitCodeForStatus, networkErrorCode } from './exit-codes';

describe('tflow exit codes', () => {
  it.each([
    [401, ExitCode.AUTH],
    [403, ExitCode.AUTH],
    [404, ExitCode.NOT_FOUND],
    [400, ExitCode.USAGE],
    [409, ExitCode.USAGE],
    [413, ExitCode.USAGE],
    [429, ExitCode.SERVER],
    [500, ExitCode.SERVER],
    [503, ExitCode.SERVER],
  ])('maps HTTP %i to %i', (status, code) => {
    expect(exitCodeForStatus(status)).toBe(code);
    expect(exitCodeFor(new ApiError(status, 'X', 'x'))).toBe(code);
  });

  it('finds network failures through causes and aggregate errors', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(networkErrorCode(refused)).toBe('ECONNREFUSED');
    expect(networkErrorCode(new Error('fetch failed', { cause: new AggregateError([refused]) }))).toBe('ECONNREFUSED');
    expect(networkErrorCode(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }))).toBe(
      'UND_ERR_SOCKET',
    );
    expect(exitCodeFor(refused)).toBe(ExitCode.SERVER);
    expect(networkErrorCode(new Error('plain'))).toBeUndefined();
  });

  it("keeps the CLI's own codes; commander usage errors are 2, help is 0; anything else is 1", () => {
    expect(exitCodeFor(new CliError(ExitCode.AUTH, 'MISSING_API_KEY', 'no key'))).toBe(3);
    expect(exitCodeFor(new CommanderError(1, 'commander.unknownCommand', 'unknown command'))).toBe(2);
    expect(exitCodeFor(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'))).toBe(0);
    expect(exitCodeFor(new Error('no active key matches x'))).toBe(1);
  });

  it('describes an error on one line', () => {
    expect(describeError(new CliError(2, 'USAGE', 'x: no such file'))).toBe('USAGE: x: no such file');
    expect(describeError(new ApiError(404, 'JOB_NOT_FOUND', 'No job 1'))).toBe('404 JOB_NOT_FOUND: No job 1');
    expect(describeError(new Error('a\n  b'))).toBe('a b');
    expect(describeError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(
      'ECONNRESET: socket hang up',
    );
  });
});
