import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from '../../../../libs/client/src/generated/openapi';
import { apiErrorFrom } from './api-error';
import { clearApiKey, getApiKey } from './session-key';

/** The API's shapes, generated from its OpenAPI document (npm run gen:api-client): never written by hand. */
export type Schemas = components['schemas'];

/** Where the browser goes when the API refuses the key: sign-in, then back to where the person was. */
export function signInPath(next: string = location.pathname + location.search): string {
  return next && next !== '/' && !next.startsWith('/sign-in')
    ? `/sign-in?next=${encodeURIComponent(next)}`
    : '/sign-in';
}

/** Sends a refused key back to sign-in (a revoked, rotated or unknown key answers 401). */
function onUnauthorized(): void {
  clearApiKey();
  if (!location.pathname.startsWith('/sign-in')) location.assign(signInPath());
}

const withKeyAndErrors = (key: () => string | null, unauthorized: () => void): Middleware => ({
  onRequest({ request }) {
    const value = key();
    if (value) request.headers.set('X-API-Key', value);
    return request;
  },
  async onResponse({ response }) {
    if (response.ok) return response;
    if (response.status === 401) unauthorized();
    throw await apiErrorFrom(response);
  },
});

/**
 * The typed API client over the same origin (the gateway serves the console and the API together):
 * the key from sessionStorage, every non-2xx thrown as an ApiError, a 401 back to sign-in.
 */
export function createApiClient(key: () => string | null = getApiKey, unauthorized: () => void = onUnauthorized) {
  const client = createClient<paths>({ baseUrl: location.origin });
  client.use(withKeyAndErrors(key, unauthorized));
  return client;
}

/** The console's client. */
export const api = createApiClient();

/** The data of an answer (errors were thrown by the middleware; a 2xx without data is a bug). */
export async function data<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const result = await call;
  if (result.data === undefined) throw await apiErrorFrom(result.response, result.error);
  return result.data;
}
