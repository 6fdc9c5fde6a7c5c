import { CanActivate, ExecutionContext, HttpStatus, Injectable, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlContextType, GqlExecutionContext } from '@nestjs/graphql';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Scope, hasScope } from '../auth/api-key';
import { ApiKeysService, AuthenticatedKey } from '../auth/api-keys.service';
import { REQUIRED_SCOPE } from '../auth/auth.decorators';
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
export function rawApiKey(ctx: Pick<GqlRequestContext, 'req' | 'connectionParams'>): string | undefined {
  const params = ctx.connectionParams ?? {};
  const fromParams = Object.entries(params).find(([name]) => name.toLowerCase() === HEADER || name === 'apiKey')?.[1];
  if (typeof fromParams === 'string' && fromParams) return fromParams;
  const header = ctx.req?.headers?.[HEADER];
  return (Array.isArray(header) ? header[0] : header) || undefined;
}

/**
 * The same API keys as the REST routes, with the same answers: MISSING_API_KEY, INVALID_API_KEY
 * (401), INSUFFICIENT_SCOPE (403); the key's tenant scopes every read and change.
 */
@Injectable()
export class GraphqlAuth {
  constructor(private readonly keys: ApiKeysService) {}

  async authenticate(raw: string | undefined): Promise<AuthenticatedKey> {
    if (!raw) throw new ApiError(HttpStatus.UNAUTHORIZED, 'MISSING_API_KEY', 'Send your API key in the X-API-Key header (graphql-ws: in the connection params)');
    const key = await this.keys.authenticate(raw);
    if (!key) throw new ApiError(HttpStatus.UNAUTHORIZED, 'INVALID_API_KEY', 'The API key is unknown or revoked');
    return key;
  }

  /** Authenticates once per operation. */
  keyOf(ctx: GqlRequestContext): Promise<AuthenticatedKey> {
    return (ctx.authentication ??= this.authenticate(rawApiKey(ctx)));
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
    const scope = this.reflector.getAllAndOverride<Scope | undefined>(REQUIRED_SCOPE, [ctx.getHandler(), ctx.getClass()]) ?? 'jobs:read';
    if (!hasScope(key.scopes, scope)) throw new ApiError(HttpStatus.FORBIDDEN, 'INSUFFICIENT_SCOPE', `This API key lacks the ${scope} scope`);
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
