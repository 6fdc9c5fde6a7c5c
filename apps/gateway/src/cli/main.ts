// tflow: submit, status, watch, list, cancel and retry go through the gateway's HTTP API (api.commands.ts);
// keys (and backfill) talk to the gateway's Postgres schema through the gateway's own repositories
// (running pending migrations first), so they work before any gateway started.
import { Command } from 'commander';
import { createServiceDataSource, initializeServiceDataSource } from '@tf/persistence';
import { ApiKeysRepository } from '../access/api-keys.repository';
import { ApiKeysService } from '../access/api-keys.service';
import { JobControlService } from '../control/job-control.service';
import { JobNotificationsPublisher } from '../live/job-notifications.publisher';
import { gatewayDataSourceOptions } from '../gateway.persistence';
import { JobsRepository } from '../jobs/jobs.repository';
import { OutboxWriter } from '@tf/messaging';
import { ObjectStorage } from '@tf/storage';
import { jobsCommand } from './jobs.commands';
import { apiCommands } from './api.commands';
import { ExitCode } from './exit-codes';
import { keysCommand } from './keys.commands';
import { runCli } from './runner';

async function withKeys<T>(fn: (keys: ApiKeysService) => Promise<T>): Promise<T> {
  const dataSource = await initializeServiceDataSource(createServiceDataSource({ ...gatewayDataSourceOptions, poolSize: 2 }));
  try {
    return await fn(new ApiKeysService(new ApiKeysRepository(dataSource)));
  } finally {
    await dataSource.destroy();
  }
}

/** The gateway's job control over its own schema: the events land in gateway.outbox for the gateway's relay. */
async function withJobControl<T>(fn: (control: JobControlService) => Promise<T>): Promise<T> {
  const dataSource = await initializeServiceDataSource(createServiceDataSource({ ...gatewayDataSourceOptions, poolSize: 2 }));
  try {
    return await fn(new JobControlService(dataSource, new JobsRepository(dataSource), new OutboxWriter('gateway'), new JobNotificationsPublisher(), new ObjectStorage()));
  } finally {
    await dataSource.destroy();
  }
}

let exitCode: ExitCode = ExitCode.OK;

/** submit, status, watch, list, cancel, retry: through the gateway's HTTP API (@tf/client). */
function withApiCommands(cli: Command, io: { out: (l: string) => void; err: (l: string) => void }): Command {
  for (const command of apiCommands({ ...io, interactive: process.stderr.isTTY === true }, (code) => (exitCode = code))) cli.addCommand(command);
  return cli;
}

export function buildCli(): Command {
  const io = { out: (l: string) => process.stdout.write(`${l}\n`), err: (l: string) => process.stderr.write(`${l}\n`) };
  return withApiCommands(new Command('tflow').description('Transcode Flow: submit and follow jobs through the API; keys and backfill on the gateway database'), io).addCommand(keysCommand(withKeys, io)).addCommand(jobsCommand(withJobControl, io));
}

// Exit codes: exit-codes.ts (0 ok, 1 job failed, 2 usage, 3 auth, 4 not found, 5 server/network).
void runCli(buildCli(), process.argv.slice(2), { errRaw: (t) => process.stderr.write(t), err: (l) => process.stderr.write(`${l}\n`) }, () => exitCode).then((code) => {
  process.exitCode = code;
});
