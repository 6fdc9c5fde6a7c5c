import { DynamicModule, Global, Module, OnModuleInit } from '@nestjs/common';
import { waitForDependency } from '@tf/observability';
import { ObjectStorage } from './object-storage';
import { stageStorageTraffic } from './storage-metrics';

/** The job stage whose S3 traffic the instance's ObjectStorage counts (StorageModule.forStage). */
const STORAGE_STAGE = Symbol('STORAGE_STAGE');

/**
 * The S3 client for injection; makes sure the product's buckets exist (idempotent) at start-up, waiting for S3 if it
 * is down. `StorageModule` counts no traffic; `StorageModule.forStage(stage)` counts the bytes the stage reads and
 * writes (tf_storage_read_bytes_total / tf_storage_written_bytes_total{stage, bucket}).
 */
@Global()
@Module({
  providers: [
    {
      provide: ObjectStorage,
      inject: [{ token: STORAGE_STAGE, optional: true }],
      useFactory: (stage?: string) => new ObjectStorage(undefined, stage ? stageStorageTraffic(stage) : undefined),
    },
  ],
  exports: [ObjectStorage],
})
export class StorageModule implements OnModuleInit {
  constructor(private readonly storage: ObjectStorage) {}

  static forStage(stage: string): DynamicModule {
    return { module: StorageModule, providers: [{ provide: STORAGE_STAGE, useValue: stage }] };
  }

  async onModuleInit(): Promise<void> {
    await waitForDependency('S3', () => this.storage.ensureBuckets());
  }
}
