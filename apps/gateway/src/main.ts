import { bootstrapService } from '@tf/runtime';
import { GatewayModule } from './gateway.module';
import { configureRequestBodies } from './http/request-body';
import { setupOpenApi } from './openapi/openapi';

void bootstrapService({
  service: 'gateway',
  module: GatewayModule,
  port: 10080,
  configure: (app) => {
    configureRequestBodies(app);
    return setupOpenApi(app);
  },
});
