import { GqlApiKeyGuard, GraphqlAuth } from './graphql-auth';
import { JobProgressSource } from './job-progress';
import { JobsResolver } from './jobs.resolver';
import { UploadsResolver } from './uploads.resolver';

export { GatewayGraphQLModule } from './graphql.options';

/** The GraphQL API's providers, added to the GatewayModule (they use its services). */
export const graphqlProviders = [GraphqlAuth, GqlApiKeyGuard, JobProgressSource, JobsResolver, UploadsResolver];
