import { Global, Module } from '@nestjs/common';
import { GATEWAY_CONFIG, gatewayConfig } from './gateway.config';

/** The gateway's settings (read and checked once at start-up), for every feature module. */
@Global()
@Module({
  providers: [{ provide: GATEWAY_CONFIG, useFactory: () => gatewayConfig() }],
  exports: [GATEWAY_CONFIG],
})
export class GatewayConfigModule {}
