import { gunzipSync } from 'node:zlib';
import { ApiError } from './api-error';
import { toApiError } from './api-exception.filter';
import { MAX_JSON_DEPTH, bodyReadError, jsonNestsDeeperThan, verifyJsonBody } from './request-body';

/** An error as body-parser's http-errors makes it: status, expose (4xx), type and other properties. */
function createError(status: number, cause: string | Error, props: Record<string, unknown> = {}): Error {
  const error = typeof cause === 'string' ? new Error(cause) : cause;
  const own = (error as { status?: number }).status;
  return Object.assign(error, props, own ? {} : { status, statusCode: status, expose: status < 500 });
}

const nested = (depth: number, open = '[', close = ']') => Buffer.from(open.repeat(depth) + close.repeat(depth));
const zlibError = (): unknown => {
  try {
    gunzipSync(Buffer.from('not gzip at all'));
  } catch (e) {
    return createError(400, e as Error);
  }
  throw new Error('expected gunzip to fail');
};

describe('jsonNestsDeeperThan', () => {
  it('counts arrays and objects, not brackets inside strings or escaped quotes', () => {
    expect(jsonNestsDeeperThan(nested(3), 3)).toBe(false);
    expect(jsonNestsDeeperThan(nested(4), 3)).toBe(true);
    expect(jsonNestsDeeperThan(Buffer.from('{"a":{"b":[1,{"c":2}]}}'), 4)).toBe(false);
    expect(jsonNestsDeeperThan(Buffer.from('{"a":{"b":[1,{"c":2}]}}'), 3)).toBe(true);
    expect(jsonNestsDeeperThan(Buffer.from(`{"s":"${'['.repeat(100)}\\"${'{'.repeat(100)}"}`), 1)).toBe(false);
    expect(jsonNestsDeeperThan(Buffer.from('["é[[[", "\\\\"]'), 1)).toBe(false);
  });

  it('scans 5,000 levels without recursion', () => {
    expect(jsonNestsDeeperThan(nested(5000, '{"a":', '}'), MAX_JSON_DEPTH)).toBe(true);
  });
});

describe('verifyJsonBody', () => {
  const verify = (body: Buffer, encoding = 'utf-8') => {
    try {
      verifyJsonBody(undefined as never, undefined as never, body, encoding);
      return 'ok';
    } catch (e) {
      return (e as ApiError).code;
    }
  };

  it('passes bodies up to the depth limit, refuses deeper ones and other charsets', () => {
    expect(verify(nested(MAX_JSON_DEPTH))).toBe('ok');
    expect(verify(nested(MAX_JSON_DEPTH + 1))).toBe('JSON_TOO_DEEP');
    expect(verify(Buffer.from('{}'), 'utf-16le')).toBe('UNSUPPORTED_CHARSET');
  });
});

describe('bodyReadError', () => {
  it.each([
    [
      createError(413, 'request entity too large', { type: 'entity.too.large', limit: 102400 }),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    [
      createError(415, 'content encoding unsupported', { type: 'encoding.unsupported', encoding: 'zstd' }),
      415,
      'UNSUPPORTED_CONTENT_ENCODING',
    ],
    [
      createError(415, 'unsupported charset', { type: 'charset.unsupported', charset: 'koi8-r' }),
      415,
      'UNSUPPORTED_CHARSET',
    ],
    [createError(400, new SyntaxError('Unexpected token'), { type: 'entity.parse.failed' }), 400, 'INVALID_JSON'],
    [
      createError(400, 'request size did not match content length', { type: 'request.size.invalid' }),
      400,
      'CONTENT_LENGTH_MISMATCH',
    ],
    [createError(400, 'request aborted', { type: 'request.aborted' }), 400, 'REQUEST_ABORTED'],
    [createError(413, 'too many parameters', { type: 'parameters.too.many' }), 413, 'TOO_MANY_PARAMETERS'],
    [zlibError(), 400, 'INVALID_CONTENT_ENCODING'],
  ])('%p → %i %s', (error, status, code) => {
    expect(toApiError(error)).toEqual({ status, body: { code, message: expect.any(String) } });
  });

  it('keeps an ApiError thrown by the verify hook (body-parser wraps it with a 403 status of its own)', () => {
    const deep = ApiError.badRequest('JSON_TOO_DEEP', 'deep');
    expect(toApiError(createError(403, deep, { type: 'entity.verify.failed' }))).toEqual({
      status: 400,
      body: { code: 'JSON_TOO_DEEP', message: 'deep' },
    });
  });

  it('leaves server-side errors alone', () => {
    expect(bodyReadError(new Error('boom'))).toBeNull();
    expect(bodyReadError(createError(500, 'stream is not readable', { type: 'stream.not.readable' }))).toBeNull();
    expect(toApiError(createError(500, 'stream is not readable', { type: 'stream.not.readable' }))).toMatchObject({
      status: 500,
      body: { code: 'INTERNAL' },
    });
  });
});
