import { Module } from '@nestjs/common';
import { PersistenceModule } from '@tf/persistence';
import { AccessCommandsModule } from './access/commands/access-commands.module';
import { gatewayDataSourceOptions } from './gateway.persistence';

/**
 * The gateway's admin commands (admin.main.ts): its database (migrated first, like the app's) and the
 * features' command modules; no HTTP server, Kafka, Redis or object storage.
 */
@Module({
  imports: [PersistenceModule.forRoot({ ...gatewayDataSourceOptions, poolSize: 2 }), AccessCommandsModule],
})
export class GatewayAdminModule {}
