import { GraphqlAdmission } from './graphql-admission';
import { GqlApiKeyGuard, GraphqlAuth } from './graphql-auth';
import { GRAPHQL_LIMITS, graphqlLimitsConfig } from './graphql-limits.config';
import { GRAPHQL_GATE_PATHS, GraphqlRequestGate } from './graphql-request-gate';
import { JobProgressSource } from './job-progress';
import { JobsResolver } from './jobs.resolver';
import { UploadsResolver } from './uploads.resolver';

export { GatewayGraphQLModule } from './graphql.options';
export { GRAPHQL_GATE_PATHS, GraphqlRequestGate };

/** The GraphQL API's providers, added to the GatewayModule (they use its services). */
export const graphqlProviders = [
  { provide: GRAPHQL_LIMITS, useFactory: () => graphqlLimitsConfig() },
  GraphqlAuth,
  GraphqlAdmission,
  GraphqlRequestGate,
  GqlApiKeyGuard,
  JobProgressSource,
  JobsResolver,
  UploadsResolver,
];
