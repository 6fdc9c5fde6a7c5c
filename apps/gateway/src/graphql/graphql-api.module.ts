import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { ControlModule } from '../control/control.module';
import { JobsModule } from '../jobs/jobs.module';
import { LiveModule } from '../live/live.module';
import { DirectUploadsModule } from '../uploads/direct/direct-uploads.module';
import { GraphqlAdmission } from './graphql-admission';
import { GqlApiKeyGuard, GraphqlAuth } from './graphql-auth';
import { GRAPHQL_LIMITS, graphqlLimitsConfig } from './graphql-limits.config';
import { GRAPHQL_GATE_PATHS, GraphqlRequestGate } from './graphql-request-gate';
import { GRAPHQL_RESOLVERS } from './graphql-schema';
import { GatewayGraphQLModule } from './graphql.options';
import { JobProgressSource } from './job-progress';

/** GraphQL at /graphql (queries, mutations, graphql-ws subscriptions) over the same services as REST. */
@Module({
  imports: [GatewayGraphQLModule, AccessModule, JobsModule, ControlModule, LiveModule, DirectUploadsModule],
  providers: [
    { provide: GRAPHQL_LIMITS, useFactory: () => graphqlLimitsConfig() },
    GraphqlAuth,
    GraphqlAdmission,
    GraphqlRequestGate,
    GqlApiKeyGuard,
    JobProgressSource,
    ...GRAPHQL_RESOLVERS,
  ],
})
export class GraphqlApiModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Key, rate limit and document size before Apollo parses a GraphQL request.
    consumer.apply(GraphqlRequestGate).forRoutes(...GRAPHQL_GATE_PATHS);
  }
}
