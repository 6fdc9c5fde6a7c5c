import { Inject, Injectable } from '@nestjs/common';
import { ExecutionArgs, GraphQLError, GraphQLSchema, getOperationAST, parse, validate } from 'graphql';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GqlRequestContext, GraphqlAuth } from './graphql-auth';
import { toGraphqlError } from './graphql-error.filter';
import { GRAPHQL_LIMITS, GraphqlLimits } from './graphql-limits.config';
import { GraphqlTransport, graphqlMetrics } from './graphql-metrics';
import {
  GraphqlRefusal,
  OperationRequest,
  checkDocument,
  checkOperation,
  refusalReason,
  tokensFor,
} from './operation-limits';

/** A graphql-ws `subscribe` payload. */
export interface SocketOperation {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

const SUBSCRIPTION_OVER_HTTP = () =>
  new GraphqlRefusal(
    'subscription_over_http',
    'Subscriptions are served over graphql-ws (WebSocket) on /graphql, not over HTTP',
  );

/** Whether a (size-checked) document's selected operation is a subscription; a document that does not parse is Apollo's to answer. */
function isSubscription(query: string, operationName: unknown): boolean {
  try {
    return (
      getOperationAST(parse(query), typeof operationName === 'string' ? operationName : undefined)?.operation ===
      'subscription'
    );
  } catch {
    return false;
  }
}

/**
 * Who may run a GraphQL operation and what it pays, in the order that keeps expensive work last:
 *   1. the key (or, without a valid one, the client address) pays one rate limit token;
 *   2. the document's size and token count (operation-limits.ts), before it is parsed;
 *   3. after parsing and validation: no subscription over HTTP, depth/aliases/directives, cost;
 *   4. the key pays the operation's cost in tokens (429 RATE_LIMITED when it cannot).
 * Over HTTP, 1–2 run in GraphqlRequestGate (before Apollo), 3–4 in the Apollo plugin; over
 * graphql-ws, all of them in the server's onSubscribe. Every refusal is counted by reason.
 */
@Injectable()
export class GraphqlAdmission {
  constructor(
    private readonly auth: GraphqlAuth,
    @Inject(GRAPHQL_LIMITS) private readonly limits: GraphqlLimits,
  ) {}

  /**
   * Steps 1–2 of an HTTP request; `query` undefined when the body has no document to check (Apollo
   * answers it). A GET is also refused here when it names a subscription: Apollo would answer 405
   * before the plugin sees it, and a POST's is refused after validation (admitHttp).
   */
  async gateHttp(
    req: IncomingMessage,
    res: ServerResponse,
    doc: { query: string | undefined; operationName?: unknown },
  ): Promise<void> {
    await this.counted('http', async () => {
      await this.auth.keyOf({ req, res });
      if (doc.query === undefined) return;
      checkDocument(doc.query, this.limits);
      if (req.method === 'GET' && isSubscription(doc.query, doc.operationName)) throw SUBSCRIPTION_OVER_HTTP();
    });
  }

  /** Steps 3–4 of an HTTP operation that Apollo parsed and validated. */
  async admitHttp(ctx: GqlRequestContext, op: OperationRequest & { kind: string | undefined }): Promise<void> {
    await this.counted('http', async () => {
      if (op.kind === 'subscription') throw SUBSCRIPTION_OVER_HTTP();
      await this.pay(ctx, op, 'http');
    });
  }

  /** Every step of a graphql-ws operation: its execution arguments, or the errors to send instead. */
  async admitSocket(
    ctx: GqlRequestContext,
    schema: GraphQLSchema,
    payload: SocketOperation,
  ): Promise<ExecutionArgs | readonly GraphQLError[]> {
    try {
      return await this.counted('ws', async () => {
        await this.auth.keyOf(ctx);
        checkDocument(String(payload.query ?? ''), this.limits);
        const document = parse(payload.query);
        const invalid = validate(schema, document);
        if (invalid.length > 0) return invalid;
        await this.pay(
          ctx,
          { schema, document, operationName: payload.operationName, variables: payload.variables },
          'ws',
        );
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: ctx,
        };
      });
    } catch (e) {
      return [toGraphqlError(e)];
    }
  }

  private async pay(ctx: GqlRequestContext, op: OperationRequest, transport: GraphqlTransport): Promise<void> {
    const key = await this.auth.keyOf(ctx);
    const cost = checkOperation(op, this.limits);
    graphqlMetrics.cost(cost, transport);
    await this.auth.charge(ctx, key, tokensFor(cost, this.limits));
  }

  private async counted<T>(transport: GraphqlTransport, step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (e) {
      const reason = refusalReason(e);
      if (reason) graphqlMetrics.refused(reason, transport);
      if (e instanceof GraphqlRefusal && e.cost !== undefined) graphqlMetrics.cost(e.cost, transport);
      throw e;
    }
  }
}
