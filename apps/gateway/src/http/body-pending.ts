import type { IncomingMessage, ServerResponse } from 'node:http';

/** The request has a body not read yet: a refusal closes the connection rather than reading it all first. */
export function closeIfBodyPending(req: IncomingMessage, res: ServerResponse): void {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.complete && !res.headersSent) res.setHeader('Connection', 'close');
}

/** The Content-Length a request declares, when it is a plain decimal; else null (chunked, absent, malformed). */
export function declaredContentLength(req: IncomingMessage): number | null {
  const raw = req.headers['content-length'];
  if (raw === undefined || !/^\d+$/.test(raw)) return null;
  return Number(raw);
}
