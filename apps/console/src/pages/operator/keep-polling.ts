import { ApiError } from '../../api/api-error';

/**
 * Whether the operator page should read again after `error`: a 4xx (403 for a key that is not a platform
 * admin, 400 for a bad query) will answer the same every time, so polling stops; network trouble and
 * 5xx may pass.
 */
export const keepPolling = (error: unknown): boolean =>
  !(error instanceof ApiError && error.status >= 400 && error.status < 500);
