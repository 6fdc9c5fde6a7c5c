import { GraphqlAdmission } from './graphql-admission';
import { GqlApiKeyGuard, GraphqlAuth } from './graphql-auth';
import { GRAPHQL_LIMITS, graphqlLimitsConfig } from './graphql-limits.config';
import { GraphqlRequestGate } from './graphql-request-gate';
import { JobProgressSource } from './job-progress';
import { JobsResolver } from './jobs.resolver';
import { UploadsResolver } from './uploads.resolver';

export { GRAPHQL_PATH, GatewayGraphQLModule } from './graphql.options';
export { GraphqlRequestGate };

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
