import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { messagingEntities, messagingMigrations } from '@tf/messaging';
import { PersistenceModule } from '@tf/persistence';
import { OpsController } from '@tf/runtime';
import { StageModule, jobCancellationMigrations } from '@tf/stage';
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
    // Cancellable: JobCancelled reaches every instance (broadcast), and the one packaging the job stops its remux.
    StageModule.forRoot({ service: 'hls', stage: 'package', concurrency: 2, cancellable: true }),
    StorageModule.forStage('package'),
  ],
  controllers: [RenditionsReadyHandler, TranscriptReadyHandler, OpsController],
  providers: [
    { provide: HlsConfig, useFactory: hlsConfigFromEnv },
    VariantPackager,
    MasterPublisher,
    PackagingRepository,
    PackagingService,
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
