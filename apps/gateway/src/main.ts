import { bootstrapService } from '@tf/runtime';
import { GatewayModule } from './gateway.module';
import { setupGraphiql } from './graphql/graphiql/graphiql';
import { GRAPHQL_PATH } from './graphql/graphql.options';
import { configureRequestBodies } from './http/request-body';
import { setupOpenApi } from './openapi/openapi';

void bootstrapService({
  service: 'gateway',
  module: GatewayModule,
  port: 10080,
  configure: (app) => {
    configureRequestBodies(app);
    setupGraphiql(app, GRAPHQL_PATH);
    return setupOpenApi(app);
  },
});
