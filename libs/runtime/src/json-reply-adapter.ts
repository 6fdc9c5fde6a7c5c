import { StreamableFile } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { ServerResponse } from 'node:http';

/**
 * Express as Nest's HTTP adapter, with a cheaper JSON answer. Express's `res.json` turns the text
 * into a Buffer (for a weak ETag, a SHA-1 of every answer) and Node then writes the headers and that
 * Buffer as two chunks; the API's answers are never revalidated by ETag, so the text goes out with
 * its length in one write, as a bare Node server does. Measured in bench/README.md ("API profile").
 * Everything else (streams, errors, statuses without content, other content types) is Express's.
 */
export class JsonReplyExpressAdapter extends ExpressAdapter {
  override reply(response: unknown, body: unknown, statusCode?: number): unknown {
    const res = response as ServerResponse;
    const json = plainJson(res, body, statusCode ?? res.statusCode);
    if (json === undefined) return super.reply(response, body, statusCode);
    if (statusCode) res.statusCode = statusCode;
    res.setHeader('Content-Type', JSON_UTF8);
    res.setHeader('Content-Length', json.bytes);
    res.end(json.text);
    return res;
  }
}

const JSON_UTF8 = 'application/json; charset=utf-8';

interface JsonText {
  text: string;
  bytes: number;
}

/** Bodies declared immutable (immutableJsonBody), with their JSON once a reply serialized it. */
const immutableBodies = new WeakMap<object, JsonText | null>();

/**
 * Declares `body` never mutated from now on (a view kept in a cache and handed to many readers): every
 * JSON reply of it then sends the text serialized by the first, instead of serializing 7.5 KB again.
 */
export function immutableJsonBody<T extends object>(body: T): T {
  if (!immutableBodies.has(body)) immutableBodies.set(body, null);
  return body;
}

/**
 * The answer's text when it is a plain JSON answer with content: an object (not a stream nor an Error),
 * a 2xx status other than 204/205 (which carry no content: Express strips their headers), no content
 * type or exactly Express's own, and a body that serializes (a toJSON may answer undefined).
 */
function plainJson(res: ServerResponse, body: unknown, status: number): JsonText | undefined {
  if (body === null || typeof body !== 'object' || body instanceof StreamableFile || body instanceof Error) return;
  if (status < 200 || status > 299 || status === 204 || status === 205) return;
  const type = res.getHeader('Content-Type');
  if (type !== undefined && type !== JSON_UTF8) return;
  const kept = immutableBodies.get(body);
  if (kept) return kept;
  const text: unknown = JSON.stringify(body);
  if (typeof text !== 'string') return;
  const json = { text, bytes: Buffer.byteLength(text) };
  if (kept === null) immutableBodies.set(body, json);
  return json;
}
