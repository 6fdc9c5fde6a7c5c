import { Command, InvalidArgumentError, Option } from 'commander';
import { ClientFactory, ConnectionOptions, apiCommand, clientOf, defaultClientFactory } from '../connection';
import type { CliIo } from '../io';
import { formatDeadLetters, formatReplay } from '../output/dead-letter-format';

const limit = (raw: string): number => {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < 1) throw new InvalidArgumentError('expected an integer of at least 1');
  return n;
};

/**
 * `tflow dlq list [--group G] [--job ID] [--limit N]` and `tflow dlq replay <group> [--job ID]`: the
 * consumer groups' dead letters through the admin API (/api/v1/admin/dead-letters), with a platform
 * admin key. A replay goes through the normal path, exactly once: replaying again changes nothing.
 */
export function dlqCommand(io: CliIo, factory: ClientFactory = defaultClientFactory): Command {
  const dlq = new Command('dlq').description("inspect and replay the consumer groups' dead letters (platform admin)");

  const list = apiCommand('list')
    .description("each group's dead-letter depth and its newest dead letters, with their job's status now")
    .option('--group <group>', 'only this consumer group (e.g. tf-transcoder)')
    .option('--job <id>', "only this job's dead letters")
    .addOption(new Option('--limit <n>', 'the newest this many per group (the API caps it)').argParser(limit))
    .action(async (opts: ConnectionOptions & { group?: string; job?: string; limit?: number }) => {
      const result = await clientOf(opts, factory).listDeadLetters({
        group: opts.group,
        jobId: opts.job,
        limit: opts.limit,
      });
      if (opts.json) io.out(JSON.stringify(result));
      else formatDeadLetters(result).forEach((line) => io.out(line));
    });

  const replay = apiCommand('replay')
    .description(
      "re-drive a group's dead letters through the normal path (a stage's: the job retry; the tracker's: back to its group), exactly once",
    )
    .argument('<group>', 'the consumer group (e.g. tf-transcoder)')
    .option('--job <id>', "only this job's dead letters")
    .action(async (group: string, opts: ConnectionOptions & { job?: string }) => {
      const result = await clientOf(opts, factory).replayDeadLetters(group, opts.job);
      if (opts.json) io.out(JSON.stringify(result));
      else formatReplay(result).forEach((line) => io.out(line));
    });

  return dlq.addCommand(list).addCommand(replay);
}
