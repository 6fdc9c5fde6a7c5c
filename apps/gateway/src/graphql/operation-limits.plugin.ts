import type { ApolloServerPlugin } from '@apollo/server';
import { Logger } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import type { GraphqlAdmission } from './graphql-admission';
import type { GqlRequestContext } from './graphql-auth';
import { toGraphqlError } from './graphql-error.filter';

const logger = new Logger('GraphqlAdmission');

/** The API error of a refusal, with its status as the HTTP status of Apollo's answer (`extensions.http`, which Apollo strips). */
function httpGraphqlError(exception: unknown): GraphQLError {
  const error = toGraphqlError(exception);
  const status = Number(error.extensions.status) || 500;
  if (status >= 500)
    logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
  return new GraphQLError(error.message, { extensions: { ...error.extensions, status, http: { status } } });
}

/**
 * After Apollo parsed and validated an HTTP operation, before it runs: GraphqlAdmission's checks
 * (subscriptions refused, shape limits, cost) and the cost charged to the key's bucket.
 */
export function operationLimitsPlugin(admission: () => GraphqlAdmission): ApolloServerPlugin<GqlRequestContext> {
  return {
    requestDidStart: async () => ({
      didResolveOperation: async ({ contextValue, schema, document, operation, request }) => {
        try {
          await admission().admitHttp(contextValue, {
            kind: operation?.operation,
            schema,
            document,
            operationName: request.operationName,
            variables: request.variables,
          });
        } catch (e) {
          throw httpGraphqlError(e);
        }
      },
    }),
  };
}
