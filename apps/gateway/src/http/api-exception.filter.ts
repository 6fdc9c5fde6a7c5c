import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { redact } from '@tf/errors';
import { ValidationError } from 'class-validator';
import type { ServerResponse } from 'node:http';
import { throwError } from 'rxjs';
import { ApiErrorBody } from './api-error';

const UPPER_SNAKE = /^[A-Z][A-Z0-9_]+$/;

/** Status → code for Nest's own exceptions (unknown route, wrong method...). */
function codeForStatus(status: number): string {
  const name = HttpStatus[status];
  return typeof name === 'string' ? name : status >= 500 ? 'INTERNAL' : 'HTTP_ERROR';
}

const isValidationErrors = (e: unknown): e is ValidationError[] => Array.isArray(e) && e.every((x) => x instanceof ValidationError);

/** Maps anything thrown in an HTTP handler to (status, {code, message}). */
export function toApiError(exception: unknown): { status: number; body: ApiErrorBody } {
  if (isValidationErrors(exception)) {
    return { status: 400, body: { code: 'VALIDATION_FAILED', message: exception.map((e) => Object.values(e.constraints ?? {}).join('; ')).join('; ') } };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse() as string | { code?: unknown; message?: unknown; details?: unknown };
    if (typeof response === 'object' && typeof response.code === 'string' && UPPER_SNAKE.test(response.code)) {
      // `details`: an optional object of machine-readable facts (e.g. which quota was exceeded).
      const details = response.details && typeof response.details === 'object' && !Array.isArray(response.details) ? { details: response.details as Record<string, unknown> } : {};
      return { status, body: { code: response.code, message: String(response.message ?? exception.message), ...details } };
    }
    const message = typeof response === 'object' && response.message !== undefined ? response.message : exception.message;
    // ValidationPipe's default answer: 400 with a list of constraint messages.
    if (status === 400 && Array.isArray(message)) return { status, body: { code: 'VALIDATION_FAILED', message: message.join('; ') } };
    return { status, body: { code: codeForStatus(status), message: String(message) } };
  }
  return { status: 500, body: { code: 'INTERNAL', message: 'Internal server error' } };
}

/**
 * Every HTTP error leaves as `{code, message}`. Kafka handlers (the job tracker) are not HTTP:
 * their errors go back unchanged so the transport can retry or dead-letter them.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrors');

  catch(exception: unknown, host: ArgumentsHost) {
    if (host.getType() !== 'http') return throwError(() => exception);
    const res = host.switchToHttp().getResponse<ServerResponse>();
    const { status, body } = toApiError(exception);
    if (status >= 500) this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    // An SSE stream that already started cannot change its status: just end it.
    if (res.headersSent) {
      res.end();
      return;
    }
    // A rejected upload is not read to its end; closing keeps the client from sending the rest.
    if (status === HttpStatus.PAYLOAD_TOO_LARGE) res.setHeader('Connection', 'close');
    res.statusCode = status;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    // A server-side failure may quote a dependency's error (STORAGE_UNAVAILABLE): no URL, path or host leaves.
    res.end(JSON.stringify(status >= 500 ? { ...body, message: redact(body.message) } : body));
  }
}
