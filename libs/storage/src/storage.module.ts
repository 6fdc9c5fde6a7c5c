import { Global, Module, OnModuleInit } from '@nestjs/common';
import { waitForDependency } from '@tf/observability';
import { ObjectStorage } from './object-storage';

/** The S3 client for injection; makes sure the product's buckets exist (idempotent) at start-up, waiting for S3 if it is down. */
@Global()
@Module({
  providers: [{ provide: ObjectStorage, useFactory: () => new ObjectStorage() }],
  exports: [ObjectStorage],
})
export class StorageModule implements OnModuleInit {
  constructor(private readonly storage: ObjectStorage) {}

  async onModuleInit(): Promise<void> {
    await waitForDependency('S3', () => this.storage.ensureBuckets());
  }
}
