import { Command, InvalidArgumentError, Option } from 'commander';
import { ClientFactory, ConnectionOptions, apiCommand, clientOf, defaultClientFactory } from '../connection';
import type { CliIo } from '../io';
import { formatPipelineStatus } from '../output/pipeline-format';

const seconds = (raw: string): number => {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim())) throw new InvalidArgumentError('expected a whole number of seconds');
  return n;
};

/**
 * `tflow ops status [--window S] [--json]`: the pipeline at a glance through the admin API
 * (GET /api/v1/admin/pipeline/status) with a platform admin key: per consumer group of the chain, its
 * replicas, lag, throughput, dead letters and the jobs its stage completed and failed in the last hour.
 */
export function opsCommand(io: CliIo, factory: ClientFactory = defaultClientFactory): Command {
  const ops = new Command('ops').description('the pipeline at a glance (platform admin)');

  const status = apiCommand('status')
    .description(
      'per stage: replicas, lag per lane, throughput, dead letters, jobs completed and failed in the last hour',
    )
    .addOption(
      new Option('--window <seconds>', 'seconds between the two readings that give the throughput (0: none)')
        .argParser(seconds)
        .default(5),
    )
    .action(async (opts: ConnectionOptions & { window: number }) => {
      const result = await clientOf(opts, factory).pipelineStatus(opts.window);
      if (opts.json) io.out(JSON.stringify(result));
      else formatPipelineStatus(result).forEach((line) => io.out(line));
    });

  return ops.addCommand(status);
}
