// tflow: the gateway's admin CLI. It talks to the gateway's Postgres schema through the gateway's
// own repositories (running pending migrations first), so it works before any gateway started.
import { Command } from 'commander';
import { createServiceDataSource, initializeServiceDataSource } from '@tf/persistence';
import { ApiKeysRepository } from '../auth/api-keys.repository';
import { ApiKeysService } from '../auth/api-keys.service';
import { JobControlService } from '../control/job-control.service';
import { JobNotificationsPublisher } from '../events/job-notifications.publisher';
import { gatewayDataSourceOptions } from '../gateway.persistence';
import { JobsRepository } from '../jobs/jobs.repository';
import { OutboxWriter } from '@tf/messaging';
import { jobsCommand } from './jobs.commands';
import { keysCommand } from './keys.commands';

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
    return await fn(new JobControlService(dataSource, new JobsRepository(dataSource), new OutboxWriter('gateway'), new JobNotificationsPublisher()));
  } finally {
    await dataSource.destroy();
  }
}

export function buildCli(): Command {
  const io = { out: (l: string) => process.stdout.write(`${l}\n`), err: (l: string) => process.stderr.write(`${l}\n`) };
  return new Command('tflow').description('Transcode Flow administration').addCommand(keysCommand(withKeys, io)).addCommand(jobsCommand(withJobControl, io));
}

buildCli()
  .parseAsync(process.argv)
  .catch((e: unknown) => {
    process.stderr.write(`tflow: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
