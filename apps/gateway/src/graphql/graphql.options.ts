import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { ModuleRef } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import type { Context as WsContext } from 'graphql-ws';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GqlRequestContext, GraphqlAuth } from './graphql-auth';
import { toGraphqlError } from './graphql-error.filter';

export const GRAPHQL_PATH = '/graphql';

type WsExtra = { request?: IncomingMessage };
type ContextSource = { req?: IncomingMessage; res?: ServerResponse } & Partial<WsContext<Record<string, unknown>, WsExtra>>;

/** HTTP: the request (its X-API-Key); graphql-ws: the connection params and the upgrade request. */
export function graphqlContext(source: ContextSource): GqlRequestContext {
  if (source.req) return { req: source.req, res: source.res };
  return { req: source.extra?.request, connectionParams: source.connectionParams ?? {} };
}

function apolloOptions(moduleRef: ModuleRef): ApolloDriverConfig {
  // Resolved when a socket connects: GraphqlAuth is a provider of the GatewayModule, created after this module.
  const auth = () => moduleRef.get(GraphqlAuth, { strict: false });
  return {
    path: GRAPHQL_PATH,
    autoSchemaFile: true,
    sortSchema: true,
    introspection: true,
    playground: false,
    graphiql: true,
    includeStacktraceInErrorResponses: false,
    // The resolvers' filter already gave every error its API code; keep Nest from renaming them.
    autoTransformHttpErrors: false,
    context: graphqlContext,
    // Errors that did not go through the resolvers' filter (e.g. thrown by a field) get their API code here too.
    formatError: (formatted, error) => {
      const original = unwrapResolverError(error);
      if (original === undefined || original === error || original instanceof GraphQLError) return formatted;
      const mapped = toGraphqlError(original);
      return { ...formatted, message: mapped.message, extensions: mapped.extensions };
    },
    subscriptions: {
      'graphql-ws': {
        path: GRAPHQL_PATH,
        // A socket without a valid key is closed at once (4403 Forbidden); each subscription checks it again (revocation, scope).
        onConnect: async (ctx: WsContext<Record<string, unknown> | undefined, unknown>) => {
          try {
            await auth().authenticateSocket({ req: (ctx.extra as WsExtra | undefined)?.request, connectionParams: ctx.connectionParams ?? {} });
            return true;
          } catch {
            return false;
          }
        },
      },
    },
  };
}

/** GraphQL at /graphql (HTTP POST/GET, GraphiQL on a browser GET) and graphql-ws subscriptions on the same path. */
export const GatewayGraphQLModule = GraphQLModule.forRootAsync<ApolloDriverConfig>({
  driver: ApolloDriver,
  inject: [ModuleRef],
  useFactory: apolloOptions,
});
