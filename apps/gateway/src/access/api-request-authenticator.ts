import { HttpStatus, Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../http/api-error';
import { closeIfBodyPending } from '../http/body-pending';
import { rateLimitHeaders } from '../limits/rate/rate-limit-headers';
import { countTenantRequest } from '../limits/usage';
import { RateLimiter } from '../limits/rate/rate-limiter';
import type { BucketDecision } from '../limits/rate/token-bucket';
import { ApiKeysService, AuthenticatedKey } from './api-keys.service';
import type { AuthenticatedRequest } from './auth.decorators';
import { AuthenticatedKeyCache } from './authenticated-key-cache';

const API_KEY_HEADER = 'x-api-key';

/** Paths the API key (and the rate limit) applies to. */
export const isApiPath = (url: string | undefined): boolean => /^\/api(\/|\?|$)/.test(url ?? '');

const AUTHENTICATION = Symbol('tf-authentication');
type Memo = { [AUTHENTICATION]?: Promise<AuthenticatedKey> };

/**
 * Authenticates an /api request and takes one token from its rate limit bucket, once per request
 * (the middleware does it for every /api path, matched or not; the guard reuses the result):
 *   no key → 401 MISSING_API_KEY; malformed, unknown or revoked → 401 INVALID_API_KEY (both count
 *   against a bucket per client address); bucket empty → 429 RATE_LIMITED with Retry-After.
 * Every answer carries the RateLimit headers of the bucket it was counted in.
 */
@Injectable()
export class ApiRequestAuthenticator {
  constructor(
    private readonly keys: ApiKeysService,
    private readonly limiter: RateLimiter,
    private readonly cache: AuthenticatedKeyCache,
  ) {}

  authenticate(req: AuthenticatedRequest, res: ServerResponse): Promise<AuthenticatedKey> {
    const memo = req as AuthenticatedRequest & Memo;
    return (memo[AUTHENTICATION] ??= this.run(req, res));
  }

  /**
   * Takes `tokens` more from an authenticated key's bucket (a GraphQL operation pays by its cost,
   * beyond the request's token), never more than the bucket holds when full: 429 RATE_LIMITED when
   * they are not there; the RateLimit headers then tell what is left.
   */
  async charge(req: IncomingMessage, res: ServerResponse, key: AuthenticatedKey, tokens: number): Promise<void> {
    const more = Math.min(tokens, this.limiter.policyFor(key.limits).capacity) - 1;
    if (more > 0) this.apply(req, res, await this.limiter.forKey(key.id, key.limits, more));
  }

  private async run(req: AuthenticatedRequest, res: ServerResponse): Promise<AuthenticatedKey> {
    const header = req.headers[API_KEY_HEADER];
    const raw = Array.isArray(header) ? header[0] : header;
    if (!raw) {
      await this.countAnonymous(req, res);
      throw this.refuse(
        req,
        res,
        new ApiError(HttpStatus.UNAUTHORIZED, 'MISSING_API_KEY', 'Send your API key in the X-API-Key header'),
      );
    }
    const key = await this.cache.authenticate(raw, () => this.keys.lookup(raw));
    if (!key) {
      await this.countAnonymous(req, res);
      throw this.refuse(
        req,
        res,
        new ApiError(HttpStatus.UNAUTHORIZED, 'INVALID_API_KEY', 'The API key is unknown or revoked'),
      );
    }
    countTenantRequest(key.tenantId);
    this.apply(req, res, await this.limiter.forKey(key.id, key.limits));
    req.apiKey = key;
    return key;
  }

  private async countAnonymous(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.apply(req, res, await this.limiter.forAnonymous(req.socket?.remoteAddress ?? 'unknown'));
  }

  /** Sets the RateLimit headers; throws 429 RATE_LIMITED when the bucket was empty. */
  private apply(req: IncomingMessage, res: ServerResponse, decision: BucketDecision | null): void {
    if (!decision || res.headersSent) return;
    for (const [name, value] of Object.entries(rateLimitHeaders(decision))) res.setHeader(name, value);
    if (!decision.allowed) {
      throw this.refuse(
        req,
        res,
        new ApiError(
          HttpStatus.TOO_MANY_REQUESTS,
          'RATE_LIMITED',
          `Rate limit exceeded: retry in ${decision.retryAfterSeconds} s`,
        ),
      );
    }
  }

  private refuse(req: IncomingMessage, res: ServerResponse, error: ApiError): ApiError {
    closeIfBodyPending(req, res);
    return error;
  }
}
