import { Module } from '@nestjs/common';
import { messagingEntities, messagingMigrations } from '@tf/messaging';
import { PersistenceModule } from '@tf/persistence';
import { OpsController } from '@tf/runtime';
import { StageModule } from '@tf/stage';
import { StorageModule } from '@tf/storage';
import { SourceValidationService } from './source-validation.service';
import { UploadedVideoHandler } from './uploaded-video.handler';

@Module({
  imports: [
    PersistenceModule.forRoot({ schema: 'validator', entities: messagingEntities, migrations: messagingMigrations }),
    StageModule.forRoot({ service: 'validator', stage: 'validate', concurrency: 4 }),
    StorageModule.forStage('validate'),
  ],
  controllers: [UploadedVideoHandler, OpsController],
  providers: [SourceValidationService],
})
export class ValidatorModule {}
