import { Global, Module, OnModuleInit } from '@nestjs/common';
import { ObjectStorage } from './object-storage';

/** The S3 client for injection; makes sure the product's buckets exist (idempotent) at start-up. */
@Global()
@Module({
  providers: [{ provide: ObjectStorage, useFactory: () => new ObjectStorage() }],
  exports: [ObjectStorage],
})
export class StorageModule implements OnModuleInit {
  constructor(private readonly storage: ObjectStorage) {}

  async onModuleInit(): Promise<void> {
    await this.storage.ensureBuckets();
  }
}
