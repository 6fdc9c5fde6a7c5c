import { Injectable, Logger, NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphqlAdmission } from './graphql-admission';
import { toGraphqlError } from './graphql-error.filter';

type GraphqlHttpRequest = IncomingMessage & { body?: unknown; query?: Record<string, unknown> };

/** An operation (POST, or GET with `query`/`extensions`), not GraphiQL's page or a CORS preflight. */
function carriesOperation(req: GraphqlHttpRequest): boolean {
  if (req.method === 'POST') return true;
  return req.method === 'GET' && (req.query?.query !== undefined || req.query?.extensions !== undefined);
}

/** The document of a POST (JSON body) or GET (query string); query undefined when there is none to check (Apollo answers that). */
function documentOf(req: GraphqlHttpRequest): { query: string | undefined; operationName?: unknown } {
  const source = req.method === 'GET' ? req.query : req.body;
  const fields =
    source && typeof source === 'object' && !Array.isArray(source)
      ? (source as { query?: unknown; operationName?: unknown })
      : {};
  return { query: typeof fields.query === 'string' ? fields.query : undefined, operationName: fields.operationName };
}

const logger = new Logger('GraphqlRequestGate');

/** Where the gate applies: Apollo is mounted with app.use('/graphql'), which serves every path below it too. */
export const GRAPHQL_GATE_PATHS = ['graphql', 'graphql/*path'];

/** A GraphQL-over-HTTP error answer: `{errors: [{message, extensions: {code, status}}]}` with the HTTP status. */
function sendGraphqlError(res: ServerResponse, exception: unknown): void {
  const error = toGraphqlError(exception);
  const status = Number(error.extensions.status) || 500;
  if (status >= 500)
    logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(
    JSON.stringify({
      errors: [
        {
          message: error.message,
          extensions: { code: error.extensions.code, status, request_id: error.extensions.request_id },
        },
      ],
    }),
  );
}

/**
 * On /graphql, before Apollo parses anything: the caller pays its first rate limit token (a missing
 * or invalid key pays in its address's bucket and is refused), then the document's size and token
 * count are checked (GraphqlAdmission). GraphiQL's page (a GET without a document) passes.
 */
@Injectable()
export class GraphqlRequestGate implements NestMiddleware {
  constructor(private readonly admission: GraphqlAdmission) {}

  async use(req: GraphqlHttpRequest, res: ServerResponse, next: () => void): Promise<void> {
    if (!carriesOperation(req)) return next();
    try {
      await this.admission.gateHttp(req, res, documentOf(req));
    } catch (e) {
      return sendGraphqlError(res, e);
    }
    next();
  }
}
