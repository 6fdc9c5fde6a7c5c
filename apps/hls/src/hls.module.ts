import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { MessagingModule, jobCancellationMigrations, jobCancellationProviders, messagingEntities, messagingMigrations } from '@tf/messaging';
import { OpsController } from '@tf/observability';
import { PersistenceModule } from '@tf/persistence';
import { Buckets, ObjectStorage, StorageModule } from '@tf/storage';
import { HlsConfig, hlsConfigFromEnv } from './hls.config';
import { MasterPublisher } from './master-publisher.service';
import { CreatePackagings1764480000000 } from './migrations/1764480000000-create-packagings';
import { Packaging } from './packaging.entity';
import { PackagingRepository } from './packaging.repository';
import { PackagingService } from './packaging.service';
import { RenditionsReadyHandler } from './renditions-ready.handler';
import { TranscriptReadyHandler } from './transcript-ready.handler';
import { VariantPackager } from './variant-packager.service';

@Module({
  imports: [
    PersistenceModule.forRoot({
      schema: 'hls',
      entities: [...messagingEntities, Packaging],
      migrations: [...messagingMigrations, CreatePackagings1764480000000, ...jobCancellationMigrations],
    }),
    // Remuxing is I/O-bound (-c copy): two jobs at once, e.g. a job's renditions and another's transcript.
    MessagingModule.forRoot({ service: 'hls', groupId: 'tf-hls', failedStage: 'package', concurrency: 2 }),
    StorageModule,
  ],
  controllers: [RenditionsReadyHandler, TranscriptReadyHandler, OpsController],
  providers: [
    { provide: HlsConfig, useFactory: hlsConfigFromEnv },
    VariantPackager,
    MasterPublisher,
    PackagingRepository,
    PackagingService,
    // JobCancelled reaches every instance (broadcast): the one packaging the job stops its remux.
    ...jobCancellationProviders,
  ],
})
export class HlsModule implements OnModuleInit {
  constructor(
    private readonly storage: ObjectStorage,
    @Inject(HlsConfig) private readonly config: HlsConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.storage.setAnonymousRead(Buckets.hls, this.config.publicRead);
  }
}
