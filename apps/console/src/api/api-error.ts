/** Every non-2xx answer of the API, as the console shows it: the API's code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly request_id: string | null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface ErrorBody {
  code?: unknown;
  message?: unknown;
  request_id?: unknown;
}

/** Reads the `{code, message, request_id}` body of an error answer (or makes one up from the status). */
export async function apiErrorFrom(response: Response, body?: unknown): Promise<ApiError> {
  let parsed: ErrorBody | undefined = body && typeof body === 'object' ? (body as ErrorBody) : undefined;
  if (!parsed) {
    try {
      parsed = (await response.clone().json()) as ErrorBody;
    } catch {
      parsed = undefined;
    }
  }
  const requestId = typeof parsed?.request_id === 'string' ? parsed.request_id : response.headers.get('X-Request-Id');
  return new ApiError(
    response.status,
    typeof parsed?.code === 'string' ? parsed.code : `HTTP_${response.status}`,
    typeof parsed?.message === 'string' ? parsed.message : response.statusText || 'The request failed',
    requestId,
  );
}

/** A failure that is not an API answer (network down, aborted): shown with a code of its own. */
export const toApiError = (error: unknown): ApiError =>
  error instanceof ApiError
    ? error
    : new ApiError(0, 'NETWORK_ERROR', error instanceof Error ? error.message : String(error), null);
