import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { waitForDependency } from '@tf/observability';
import { DataSource } from 'typeorm';
import {
  ServiceDataSourceOptions,
  createServiceDataSource,
  initializeServiceDataSource,
  servicePoolOptions,
} from './create-data-source';
import { databaseUrl } from './database-config';

/** Registers the service's DataSource (migrated before the app starts, waiting for Postgres if it is down) for injection. */
@Global()
@Module({})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  static forRoot(options: ServiceDataSourceOptions): DynamicModule {
    return {
      module: PersistenceModule,
      providers: [
        {
          provide: DataSource,
          useFactory: () => {
            // Settings are read once, outside the wait: a bad value is a start-up error, not "Postgres is down".
            const settings = { ...options, url: options.url ?? databaseUrl() };
            const pool = servicePoolOptions(options);
            return waitForDependency('Postgres', () => initializeOrDiscard(createServiceDataSource(settings, pool)));
          },
        },
      ],
      exports: [DataSource],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/** A try that failed half-way leaves no open pool behind; the next try starts from a fresh DataSource. */
async function initializeOrDiscard(dataSource: DataSource): Promise<DataSource> {
  try {
    return await initializeServiceDataSource(dataSource);
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    throw error;
  }
}
