import { StreamableFile } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { ServerResponse } from 'node:http';

/**
 * Express as Nest's HTTP adapter, with a cheaper JSON answer. Express's `res.json` turns the text
 * into a Buffer (for a weak ETag, a SHA-1 of every answer) and Node then writes the headers and that
 * Buffer as two chunks; the API's answers are never revalidated by ETag, so the text goes out with
 * its length in one write, as a bare Node server does. Measured in bench/README.md ("API profile").
 * Everything that is not a plain JSON answer (streams, errors, non-JSON content types) is Express's.
 */
export class JsonReplyExpressAdapter extends ExpressAdapter {
  override reply(response: unknown, body: unknown, statusCode?: number): unknown {
    const res = response as ServerResponse;
    if (!isPlainJsonAnswer(res, body)) return super.reply(response, body, statusCode);
    if (statusCode) res.statusCode = statusCode;
    const text = JSON.stringify(body);
    if (!res.hasHeader('Content-Type')) res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', Buffer.byteLength(text));
    res.end(text);
    return res;
  }
}

function isPlainJsonAnswer(res: ServerResponse, body: unknown): body is object {
  if (body === null || typeof body !== 'object' || body instanceof StreamableFile || body instanceof Error)
    return false;
  const type = res.getHeader('Content-Type');
  return type === undefined || (typeof type === 'string' && type.startsWith('application/json'));
}
