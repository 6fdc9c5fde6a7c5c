import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { currentLogContext, withLogContext } from './log-context';

export const REQUEST_ID_HEADER = 'X-Request-Id';
/** Longest request id taken from a client (a UUID is 36 characters; tracing ids of proxies fit too). */
export const MAX_REQUEST_ID_LENGTH = 128;
/** Letters, digits and `-_.:+=/@`: nothing that could break a log line, a header or a JSON consumer's parser. */
const SAFE_REQUEST_ID = new RegExp(`^[A-Za-z0-9._:+=/@-]{1,${MAX_REQUEST_ID_LENGTH}}$`);

/**
 * The request id a client (or a proxy before us) sent, when it is safe to reuse: one header value of
 * 1..128 safe characters. Anything else (absent, repeated, too long, spaces, control characters,
 * quotes) is not echoed nor logged: the request gets an id of ours instead.
 */
export function acceptedRequestId(header: string | string[] | undefined): string | null {
  return typeof header === 'string' && SAFE_REQUEST_ID.test(header) ? header : null;
}

const requestIds = new WeakMap<IncomingMessage, string>();

/** The id `requestIdMiddleware` gave this request, if it went through it. */
export const requestIdOf = (req: IncomingMessage | undefined): string | undefined =>
  (req && requestIds.get(req)) ?? currentLogContext().request_id;

/**
 * Express-style middleware, first on every request: the client's X-Request-Id when it is acceptable,
 * else a new UUID; answered in `X-Request-Id` and carried, as `request_id`, by every log line written
 * while the request is handled (and by the API's error answers, which read it with requestIdOf).
 */
export function requestIdMiddleware(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const id = acceptedRequestId(req.headers['x-request-id']) ?? randomUUID();
  requestIds.set(req, id);
  res.setHeader(REQUEST_ID_HEADER, id);
  withLogContext({ request_id: id }, next);
}
