import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { waitForDependency } from '@tf/observability';
import { DataSource } from 'typeorm';
import { ServiceDataSourceOptions, createServiceDataSource, initializeServiceDataSource } from './create-data-source';

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
          useFactory: () => waitForDependency('Postgres', () => initializeOrDiscard(createServiceDataSource(options))),
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
