import { Global, Module } from '@nestjs/common';
import { ObjectStorage } from './object-storage';

@Global()
@Module({
  providers: [{ provide: ObjectStorage, useFactory: () => new ObjectStorage() }],
  exports: [ObjectStorage],
})
export class StorageModule {}
