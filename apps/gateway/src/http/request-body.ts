import { HttpStatus, INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './api-error';

/** Largest JSON or urlencoded body the API parses (after Content-Encoding is undone). */
const BODY_LIMIT_BYTES = 100 * 1024;
/** Deepest nesting of arrays/objects a JSON body may have: no API shape comes near it. */
export const MAX_JSON_DEPTH = 32;

/** Whether a UTF-8 JSON text nests arrays/objects deeper than `max` (a linear scan, before anything parses it). */
export function jsonNestsDeeperThan(body: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: the next byte is escaped (UTF-8 never puts an ASCII byte inside a multi-byte character)
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** body-parser's `verify` hook for JSON: UTF-8 only (RFC 8259), bounded depth; runs before JSON.parse. */
export function verifyJsonBody(_req: IncomingMessage, _res: ServerResponse, body: Buffer, encoding: string): void {
  if (encoding.toLowerCase() !== 'utf-8')
    throw new ApiError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'UNSUPPORTED_CHARSET', 'JSON bodies must be UTF-8');
  if (jsonNestsDeeperThan(body, MAX_JSON_DEPTH))
    throw ApiError.badRequest('JSON_TOO_DEEP', `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels`);
}

/** What body-parser (http-errors, raw-body, zlib) passes to `next(err)`. */
interface BodyReadError {
  status?: number;
  expose?: boolean;
  type?: string;
  code?: string;
  message?: string;
  encoding?: string;
  charset?: string;
  limit?: number;
}

/**
 * The API error of a body that could not be read or parsed; null when `err` is not such an error.
 * (Left to the exception filter, body-parser's errors would be a 500: they are not HttpExceptions.)
 */
export function bodyReadError(err: unknown): ApiError | null {
  if (err instanceof ApiError) return err;
  if (!err || typeof err !== 'object') return null;
  const e = err as BodyReadError;
  if (typeof e.status !== 'number' || e.status < 400 || e.status >= 500) return null;
  switch (e.type) {
    case 'entity.too.large':
      return new ApiError(
        HttpStatus.PAYLOAD_TOO_LARGE,
        'PAYLOAD_TOO_LARGE',
        `The request body exceeds ${e.limit ?? BODY_LIMIT_BYTES} bytes`,
      );
    case 'encoding.unsupported':
      return new ApiError(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        'UNSUPPORTED_CONTENT_ENCODING',
        'Content-Encoding must be gzip, deflate, br or identity',
      );
    case 'charset.unsupported':
      return new ApiError(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        'UNSUPPORTED_CHARSET',
        `Unsupported charset ${JSON.stringify(e.charset ?? '')}`,
      );
    case 'entity.parse.failed':
      return ApiError.badRequest('INVALID_JSON', `The body is not valid JSON: ${e.message ?? ''}`.trim());
    case 'request.size.invalid':
      return ApiError.badRequest('CONTENT_LENGTH_MISMATCH', 'The body is not as long as its Content-Length says');
    case 'request.aborted':
      return ApiError.badRequest('REQUEST_ABORTED', 'The request body ended early');
    case 'parameters.too.many':
      return new ApiError(HttpStatus.PAYLOAD_TOO_LARGE, 'TOO_MANY_PARAMETERS', 'The form body has too many parameters');
    case 'querystring.parse.rangeError':
      return ApiError.badRequest('FORM_TOO_DEEP', 'The form body nests too deep');
    default:
      // zlib's errors (a body that is not the gzip/deflate/br its Content-Encoding says) carry a Z_* or ERR_* code and no type.
      if (typeof e.code === 'string' && /^(Z_|ERR_)/.test(e.code))
        return ApiError.badRequest(
          'INVALID_CONTENT_ENCODING',
          'The body could not be decoded with its Content-Encoding',
        );
      return null;
  }
}

/**
 * The API's body parsers (JSON, urlencoded), bounded in size and depth, followed by an error
 * middleware that turns their failures into `{code, message}` 4xx answers. Registered before Nest's
 * own defaults, which then see them in place and add none.
 */
export function configureRequestBodies(app: INestApplication): void {
  const express = app as NestExpressApplication;
  express.useBodyParser('json', { limit: BODY_LIMIT_BYTES, verify: verifyJsonBody });
  express.useBodyParser('urlencoded', { limit: BODY_LIMIT_BYTES, extended: true, depth: 8, parameterLimit: 1000 });
  express.use((err: unknown, _req: IncomingMessage, _res: ServerResponse, next: (e?: unknown) => void) =>
    next(bodyReadError(err) ?? err),
  );
}
