// The console's one way to the API (the pages import from here). `@public`: the shared contract of the
// console's pages, kept even while no page uses a name yet.
/** @public */
export { ApiError, toApiError } from './api-error';
export { api, createApiClient, data, signInPath, type Schemas } from './client';
/** @public */
export {
  useJobEvents,
  useTenantJobEvents,
  type JobEvent,
  type JobEventsState,
  type TenantJobEvent,
} from './job-events';
export { clearApiKey, getApiKey, setApiKey } from './session-key';
