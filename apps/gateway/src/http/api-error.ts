import { HttpException, HttpStatus } from '@nestjs/common';

/** The body of every error the API answers: a stable UPPER_SNAKE code and a sentence for humans. */
export interface ApiErrorBody {
  code: string;
  message: string;
  /** Machine-readable facts of some errors (QUOTA_EXCEEDED: quota, limit, used). */
  details?: Record<string, unknown>;
  /** The request's X-Request-Id (every HTTP error answer has it: quote it when asking about a failure). */
  request_id?: string;
}

/** An HTTP error with its API code; anything thrown that is not one becomes 500 INTERNAL. */
export class ApiError extends HttpException {
  constructor(
    status: HttpStatus,
    readonly code: string,
    message: string,
  ) {
    super({ code, message } satisfies ApiErrorBody, status);
  }

  /** Headers the HTTP answer carries besides the body (e.g. Retry-After); set by the ApiExceptionFilter. */
  get headers(): Readonly<Record<string, string>> {
    return {};
  }

  static badRequest(code: string, message: string): ApiError {
    return new ApiError(HttpStatus.BAD_REQUEST, code, message);
  }

  static notFound(code: string, message: string): ApiError {
    return new ApiError(HttpStatus.NOT_FOUND, code, message);
  }
}

export const jobNotFound = (id: string): ApiError => ApiError.notFound('JOB_NOT_FOUND', `No job ${id}`);
