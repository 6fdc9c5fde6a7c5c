import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys.module';
import { CreateKeyCommand } from './create-key.command';

/** The access feature's admin commands (admin.main.ts): they need the keys store and its database only. */
@Module({
  imports: [ApiKeysModule],
  providers: [CreateKeyCommand],
  exports: [CreateKeyCommand],
})
export class AccessCommandsModule {}
