import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { ModuleRef } from '@nestjs/core';
import { GraphQLModule, GraphQLSchemaHost } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import type { Context as WsContext } from 'graphql-ws';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphqlAdmission, SocketOperation } from './graphql-admission';
import { GqlRequestContext, GraphqlAuth } from './graphql-auth';
import { toGraphqlError } from './graphql-error.filter';
import { operationLimitsPlugin } from './operation-limits.plugin';

export const GRAPHQL_PATH = '/graphql';

type WsExtra = { request?: IncomingMessage };
type ContextSource = { req?: IncomingMessage; res?: ServerResponse } & Partial<
  WsContext<Record<string, unknown>, WsExtra>
>;

/** HTTP: the request (its X-API-Key); graphql-ws: the connection params and the upgrade request. */
function graphqlContext(source: ContextSource): GqlRequestContext {
  if (source.req) return { req: source.req, res: source.res };
  return { req: source.extra?.request, connectionParams: source.connectionParams ?? {} };
}

function apolloOptions(moduleRef: ModuleRef): ApolloDriverConfig {
  // Resolved when a socket connects: GraphqlAuth is a provider of the GatewayModule, created after this module.
  const auth = () => moduleRef.get(GraphqlAuth, { strict: false });
  const admission = () => moduleRef.get(GraphqlAdmission, { strict: false });
  return {
    path: GRAPHQL_PATH,
    autoSchemaFile: true,
    sortSchema: true,
    introspection: true,
    // GraphiQL is served by setupGraphiql (graphiql/), with its assets from this process: Nest's and Apollo's pages load theirs from a CDN.
    playground: false,
    graphiql: false,
    includeStacktraceInErrorResponses: false,
    // The resolvers' filter already gave every error its API code; keep Nest from renaming them.
    autoTransformHttpErrors: false,
    context: graphqlContext,
    // Depth, aliases, directives and cost, charged to the key (graphql-admission.ts); the document's size and tokens were checked before parsing (GraphqlRequestGate).
    plugins: [operationLimitsPlugin(admission)],
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
            await auth().authenticateSocket({
              req: (ctx.extra as WsExtra | undefined)?.request,
              connectionParams: ctx.connectionParams ?? {},
            });
            return true;
          } catch {
            return false;
          }
        },
        // Each operation on the socket passes the same limits and pays its cost (none of Apollo's plugins run here).
        onSubscribe: (
          ctx: WsContext<Record<string, unknown> | undefined, unknown>,
          _id: string,
          payload: SocketOperation,
        ) =>
          admission().admitSocket(
            graphqlContext(ctx as ContextSource),
            moduleRef.get(GraphQLSchemaHost, { strict: false }).schema,
            payload,
          ),
      },
    },
  };
}

/** GraphQL at /graphql (HTTP POST/GET; GraphiQL on a browser GET: setupGraphiql) and graphql-ws subscriptions on the same path. */
export const GatewayGraphQLModule = GraphQLModule.forRootAsync<ApolloDriverConfig>({
  driver: ApolloDriver,
  inject: [ModuleRef],
  useFactory: apolloOptions,
});
