import { Module } from '@nestjs/common';
import { MessagingModule, messagingEntities, messagingMigrations } from '@tf/messaging';
import { OpsController } from '@tf/observability';
import { PersistenceModule } from '@tf/persistence';
import { StorageModule } from '@tf/storage';
import { SourceValidationService } from './source-validation.service';
import { UploadedVideoHandler } from './uploaded-video.handler';

@Module({
  imports: [
    PersistenceModule.forRoot({ schema: 'validator', entities: messagingEntities, migrations: messagingMigrations }),
    MessagingModule.forRoot({ service: 'validator', groupId: 'tf-validator', failedStage: 'validate', concurrency: 4 }),
    StorageModule,
  ],
  controllers: [UploadedVideoHandler, OpsController],
  providers: [SourceValidationService],
})
export class ValidatorModule {}
