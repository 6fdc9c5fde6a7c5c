import {
  BadRequestException,
  HttpStatus,
  NotFoundException,
  PayloadTooLargeException,
  ValidationPipe,
} from '@nestjs/common';
import { IsInt } from 'class-validator';
import { ApiError, jobNotFound } from './api-error';
import { ArgumentsHost } from '@nestjs/common';
import { requestIdMiddleware, withLogContext } from '@tf/observability';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toGraphqlError } from '../graphql/graphql-error.filter';
import { ApiExceptionFilter, toApiError } from './api-exception.filter';
import { httpErrors } from './http-metrics.middleware';

class Dto {
  @IsInt()
  n!: number;
}

describe('toApiError', () => {
  it('keeps the code of an ApiError', () => {
    expect(toApiError(ApiError.badRequest('NO_FILE', 'no file'))).toEqual({
      status: 400,
      body: { code: 'NO_FILE', message: 'no file' },
    });
    expect(toApiError(new ApiError(HttpStatus.PAYLOAD_TOO_LARGE, 'UPLOAD_TOO_LARGE', 'big'))).toEqual({
      status: 413,
      body: { code: 'UPLOAD_TOO_LARGE', message: 'big' },
    });
  });

  it('turns class-validator failures into 400 VALIDATION_FAILED', async () => {
    const pipe = new ValidationPipe();
    const error = await pipe.transform({ n: 'x' }, { type: 'body', metatype: Dto }).catch((e: unknown) => e);
    expect(toApiError(error)).toEqual({
      status: 400,
      body: { code: 'VALIDATION_FAILED', message: expect.stringContaining('n must be an integer') },
    });
  });

  it('names Nest exceptions by their status', () => {
    expect(toApiError(new NotFoundException('Cannot GET /x'))).toEqual({
      status: 404,
      body: { code: 'NOT_FOUND', message: 'Cannot GET /x' },
    });
    expect(toApiError(new PayloadTooLargeException())).toMatchObject({
      status: 413,
      body: { code: 'PAYLOAD_TOO_LARGE' },
    });
    expect(toApiError(new BadRequestException('bad'))).toMatchObject({
      status: 400,
      body: { code: 'BAD_REQUEST', message: 'bad' },
    });
  });

  it('hides anything else behind 500 INTERNAL', () => {
    expect(toApiError(new Error('db password is hunter2'))).toEqual({
      status: 500,
      body: { code: 'INTERNAL', message: 'Internal server error' },
    });
    expect(toApiError('boom')).toEqual({ status: 500, body: { code: 'INTERNAL', message: 'Internal server error' } });
  });
});

describe('ApiExceptionFilter', () => {
  /** The response a client would receive (a ServerResponse faked at the boundary). */
  function answer(
    exception: unknown,
    req: object = { complete: true },
  ): {
    status: number;
    body: { code: string; message: string; request_id?: string };
    headers: Record<string, string>;
  } {
    let body = '';
    const headers: Record<string, string> = {};
    const res = {
      headersSent: false,
      statusCode: 0,
      setHeader: (name: string, value: string) => (headers[name] = value),
      end: (text?: string) => (body = text ?? ''),
    };
    const host = {
      getType: () => 'http',
      switchToHttp: () => ({ getResponse: () => res, getRequest: () => req }),
    } as unknown as ArgumentsHost;
    new ApiExceptionFilter().catch(exception, host);
    return { status: res.statusCode, body: JSON.parse(body) as { code: string; message: string }, headers };
  }

  it("carries the request's X-Request-Id beside code and message (the client's when valid, else a generated one)", () => {
    const through = (header?: string) => {
      const req = { complete: true, headers: header === undefined ? {} : { 'x-request-id': header } };
      const answerHeaders: Record<string, string> = {};
      const res = { setHeader: (name: string, value: string) => (answerHeaders[name] = value) };
      requestIdMiddleware(req as unknown as IncomingMessage, res as unknown as ServerResponse, () => undefined);
      return { sent: answerHeaders['X-Request-Id'], answered: answer(jobNotFound('j1'), req) };
    };
    const given = through('req-42.abc');
    expect(given.sent).toBe('req-42.abc');
    expect(given.answered.body).toEqual({ code: 'JOB_NOT_FOUND', message: 'No job j1', request_id: 'req-42.abc' });
    const generated = through();
    expect(generated.answered.body.request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(generated.answered.body.request_id).toBe(generated.sent);
    const replaced = through('two words');
    expect(replaced.answered.body.request_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("gives GraphQL errors the request's id too (extensions.request_id)", () => {
    const error = withLogContext({ request_id: 'req-gql' }, () => toGraphqlError(jobNotFound('j1')));
    expect(error.extensions).toEqual({ code: 'JOB_NOT_FOUND', status: 404, request_id: 'req-gql' });
  });

  it('redacts hosts, URLs and paths out of 5xx messages that quote a dependency', () => {
    const outage = new ApiError(
      HttpStatus.SERVICE_UNAVAILABLE,
      'STORAGE_UNAVAILABLE',
      'Object storage failed: connect ECONNREFUSED 127.0.0.1:9000',
    );
    expect(answer(outage)).toMatchObject({
      status: 503,
      body: { code: 'STORAGE_UNAVAILABLE', message: 'Object storage failed: connect ECONNREFUSED <host>' },
    });
    // The GraphQL filter maps through toApiError too.
    expect(toGraphqlError(outage).message).toBe('Object storage failed: connect ECONNREFUSED <host>');
  });

  it('counts error answers by status and code (tf_http_errors_total)', async () => {
    const count = async () =>
      (await httpErrors.get()).values.find((v) => v.labels.code === 'JSON_TOO_DEEP' && v.labels.status === '400')
        ?.value ?? 0;
    const before = await count();
    answer(ApiError.badRequest('JSON_TOO_DEEP', 'deep'));
    answer(ApiError.badRequest('JSON_TOO_DEEP', 'deep'));
    expect((await count()) - before).toBe(2);
  });

  it('closes the connection when it answers before the request body was read to its end (a refused upload)', () => {
    const refused = ApiError.badRequest('UNKNOWN_RESOLUTION', 'Unknown resolution "999p"');
    expect(answer(refused, { complete: false }).headers.Connection).toBe('close');
    expect(answer(refused, { complete: true }).headers.Connection).toBeUndefined();
  });

  it('leaves client-error messages as written (they quote the request)', () => {
    expect(answer(new NotFoundException('Cannot GET /api/v1/nope')).body.message).toBe('Cannot GET /api/v1/nope');
  });
});
