import { CanActivate, ExecutionContext, HttpStatus, Injectable, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlContextType, GqlExecutionContext } from '@nestjs/graphql';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hasScope } from '../access/api-key';
import { requiredScope } from '../access/api-key.guard';
import type { AuthenticatedKey } from '../access/api-keys.service';
import { ApiRequestAuthenticator } from '../access/api-request-authenticator';
import type { AuthenticatedRequest } from '../access/auth.decorators';
import { ApiError } from '../http/api-error';

/** The per-operation context: the HTTP request (or the WebSocket's upgrade request) and, over graphql-ws, the connection params. */
export interface GqlRequestContext {
  req?: IncomingMessage;
  res?: ServerResponse;
  connectionParams?: Readonly<Record<string, unknown>>;
  /** Set by GqlApiKeyGuard. */
  apiKey?: AuthenticatedKey;
  authentication?: Promise<AuthenticatedKey>;
}

const HEADER = 'x-api-key';

/** The key of an operation: `X-API-Key` in the connection params (graphql-ws; any case, or `apiKey`), else the request header. */
function rawApiKey(ctx: Pick<GqlRequestContext, 'req' | 'connectionParams'>): string | undefined {
  const params = ctx.connectionParams ?? {};
  const fromParams = Object.entries(params).find(([name]) => name.toLowerCase() === HEADER || name === 'apiKey')?.[1];
  if (typeof fromParams === 'string' && fromParams) return fromParams;
  const header = ctx.req?.headers?.[HEADER];
  return (Array.isArray(header) ? header[0] : header) || undefined;
}

/** What the authenticator needs of a request over graphql-ws: the key and the client's address (no response to set headers on). */
function socketRequest(
  raw: string | undefined,
  upgrade: IncomingMessage | undefined,
): { req: AuthenticatedRequest; res: ServerResponse } {
  const req = {
    headers: raw ? { 'x-api-key': raw } : {},
    socket: { remoteAddress: upgrade?.socket?.remoteAddress },
    complete: true,
  } as unknown as AuthenticatedRequest;
  const res = { headersSent: false, setHeader: () => undefined } as unknown as ServerResponse;
  return { req, res };
}

const isHttp = (ctx: GqlRequestContext): boolean =>
  ctx.connectionParams === undefined && ctx.req !== undefined && ctx.res !== undefined;

/**
 * The REST routes' authentication (ApiRequestAuthenticator: the same keys, the same rate limit
 * buckets, the same answers MISSING_API_KEY / INVALID_API_KEY / RATE_LIMITED) for GraphQL: the
 * HTTP request's X-API-Key on /graphql (RateLimit headers on its answer), the connection params
 * (or the upgrade request's header) over graphql-ws; an operation takes tokens by its cost.
 */
@Injectable()
export class GraphqlAuth {
  constructor(private readonly authenticator: ApiRequestAuthenticator) {}

  /** A graphql-ws operation or connection: the key from its params, else from the upgrade request. */
  authenticateSocket(ctx: Pick<GqlRequestContext, 'req' | 'connectionParams'>): Promise<AuthenticatedKey> {
    const { req, res } = socketRequest(rawApiKey(ctx), ctx.req);
    return this.authenticator.authenticate(req, res);
  }

  /** Authenticates once per operation (an HTTP request: once per request, whoever asks first). */
  keyOf(ctx: GqlRequestContext): Promise<AuthenticatedKey> {
    if (ctx.authentication) return ctx.authentication;
    return (ctx.authentication = isHttp(ctx)
      ? this.authenticator.authenticate(ctx.req as AuthenticatedRequest, ctx.res!)
      : this.authenticateSocket(ctx));
  }

  /** An operation's cost in rate limit tokens, the one its authentication took included (operation-limits.ts). */
  charge(ctx: GqlRequestContext, key: AuthenticatedKey, tokens: number): Promise<void> {
    const { req, res } = isHttp(ctx) ? { req: ctx.req!, res: ctx.res! } : socketRequest(rawApiKey(ctx), ctx.req);
    return this.authenticator.charge(req, res, key, tokens);
  }
}

/** Every resolver of the gateway: a valid key with the handler's @RequireScope (default jobs:read). */
@Injectable()
export class GqlApiKeyGuard implements CanActivate {
  constructor(
    private readonly auth: GraphqlAuth,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType<GqlContextType>() !== 'graphql') return true;
    const gql = GqlExecutionContext.create(ctx).getContext<GqlRequestContext>();
    const key = await this.auth.keyOf(gql);
    const scope = requiredScope(this.reflector, ctx.getHandler(), ctx.getClass());
    if (!hasScope(key.scopes, scope))
      throw new ApiError(HttpStatus.FORBIDDEN, 'INSUFFICIENT_SCOPE', `This API key lacks the ${scope} scope`);
    gql.apiKey = key;
    return true;
  }
}

/** The caller's key, as GqlApiKeyGuard found it. */
export const GqlKey = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthenticatedKey => {
  const key = GqlExecutionContext.create(ctx).getContext<GqlRequestContext>().apiKey;
  if (!key) throw new Error('GqlKey used on a resolver without GqlApiKeyGuard');
  return key;
});
