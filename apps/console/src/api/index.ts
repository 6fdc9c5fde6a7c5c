export { ApiError, toApiError } from './api-error';
export { api, createApiClient, data, signInPath, type ApiClient, type Schemas } from './client';
export {
  useJobEvents,
  useTenantJobEvents,
  type JobEvent,
  type JobEventsState,
  type TenantJobEvent,
} from './job-events';
export { clearApiKey, getApiKey, setApiKey } from './session-key';
