import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { redact } from '@tf/errors';
import { requestIdOf } from '@tf/observability';
import { ValidationError } from 'class-validator';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { throwError } from 'rxjs';
import { ApiError, ApiErrorBody } from './api-error';
import { httpErrors } from './http-metrics.middleware';
import { bodyReadError } from './request-body';

const UPPER_SNAKE = /^[A-Z][A-Z0-9_]+$/;

/** Status → code for Nest's own exceptions (unknown route, wrong method...). */
function codeForStatus(status: number): string {
  const name = HttpStatus[status];
  return typeof name === 'string' ? name : status >= 500 ? 'INTERNAL' : 'HTTP_ERROR';
}

const isValidationErrors = (e: unknown): e is ValidationError[] =>
  Array.isArray(e) && e.every((x) => x instanceof ValidationError);

/**
 * Maps anything thrown in an HTTP handler (or a GraphQL resolver) to (status, {code, message}). A
 * server-side failure may quote a dependency's error (STORAGE_UNAVAILABLE): its message is redacted, so
 * no URL, path or host leaves; a 4xx message quotes the request and stays as written.
 */
export function toApiError(thrown: unknown): { status: number; body: ApiErrorBody } {
  const answer = classify(thrown);
  return answer.status >= 500 ? { ...answer, body: { ...answer.body, message: redact(answer.body.message) } } : answer;
}

function classify(thrown: unknown): { status: number; body: ApiErrorBody } {
  // A body that could not be read or parsed is the client's mistake (body-parser's errors are no HttpExceptions).
  const exception = bodyReadError(thrown) ?? thrown;
  if (isValidationErrors(exception)) {
    return {
      status: 400,
      body: {
        code: 'VALIDATION_FAILED',
        message: exception.map((e) => Object.values(e.constraints ?? {}).join('; ')).join('; '),
      },
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse() as string | { code?: unknown; message?: unknown; details?: unknown };
    if (typeof response === 'object' && typeof response.code === 'string' && UPPER_SNAKE.test(response.code)) {
      // `details`: an optional object of machine-readable facts (e.g. which quota was exceeded).
      const details =
        response.details && typeof response.details === 'object' && !Array.isArray(response.details)
          ? { details: response.details as Record<string, unknown> }
          : {};
      return {
        status,
        body: { code: response.code, message: String(response.message ?? exception.message), ...details },
      };
    }
    const message =
      typeof response === 'object' && response.message !== undefined ? response.message : exception.message;
    // ValidationPipe's default answer: 400 with a list of constraint messages.
    if (status === 400 && Array.isArray(message))
      return { status, body: { code: 'VALIDATION_FAILED', message: message.join('; ') } };
    return { status, body: { code: codeForStatus(status), message: String(message) } };
  }
  // Another http-errors error of Express or a parser that marks its message as safe to show (`expose`: 4xx only).
  const httpError = exception as { status?: unknown; expose?: unknown; message?: unknown } | null;
  if (
    httpError &&
    typeof httpError.status === 'number' &&
    httpError.status >= 400 &&
    httpError.status < 500 &&
    httpError.expose === true
  ) {
    return {
      status: httpError.status,
      body: { code: codeForStatus(httpError.status), message: String(httpError.message) },
    };
  }
  return { status: 500, body: { code: 'INTERNAL', message: 'Internal server error' } };
}

/** The answer's body with the request's id (X-Request-Id, set by @tf/observability's requestIdMiddleware). */
function withRequestId(body: ApiErrorBody, req: IncomingMessage | undefined): ApiErrorBody {
  const requestId = requestIdOf(req);
  return requestId ? { ...body, request_id: requestId } : body;
}

/**
 * Every HTTP error leaves as `{code, message, request_id}`. Kafka handlers (the job tracker) are not HTTP:
 * their errors go back unchanged so the transport can retry or dead-letter them.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrors');

  catch(exception: unknown, host: ArgumentsHost) {
    if (host.getType() !== 'http') return throwError(() => exception);
    const res = host.switchToHttp().getResponse<ServerResponse>();
    const { status, body } = toApiError(exception);
    httpErrors.inc({ status: String(status), code: body.code });
    if (status >= 500)
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    // An SSE stream that already started cannot change its status: just end it.
    if (res.headersSent) {
      res.end();
      return;
    }
    // A request refused before its body was read to the end (an upload with a bad field or too large):
    // closing keeps the client from sending the rest, which nobody reads.
    const req = host.switchToHttp().getRequest<IncomingMessage>();
    if (status === HttpStatus.PAYLOAD_TOO_LARGE || req?.complete === false) res.setHeader('Connection', 'close');
    res.statusCode = status;
    if (exception instanceof ApiError)
      for (const [name, value] of Object.entries(exception.headers)) res.setHeader(name, value);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify(withRequestId(body, req)));
  }
}
