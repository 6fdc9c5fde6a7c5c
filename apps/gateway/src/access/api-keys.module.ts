import { Module } from '@nestjs/common';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';

/**
 * The API keys store (gateway.api_keys): what the HTTP app's access module builds on, and all the
 * gateway's admin commands need (admin.main.ts) besides a database.
 */
@Module({
  providers: [ApiKeysRepository, ApiKeysService],
  exports: [ApiKeysRepository, ApiKeysService],
})
export class ApiKeysModule {}
