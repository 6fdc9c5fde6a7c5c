import { ApiError } from '../../api/api-error';
import { keepPolling } from './keep-polling';

describe('keepPolling', () => {
  it('stops on a 4xx answer (a key without the platform admin right gets the same 403 every time)', () => {
    expect(keepPolling(new ApiError(403, 'PLATFORM_ADMIN_REQUIRED', 'no', null))).toBe(false);
    expect(keepPolling(new ApiError(400, 'VALIDATION_FAILED', 'no', null))).toBe(false);
  });

  it('keeps reading after a success, a 5xx or a network failure', () => {
    expect(keepPolling(null)).toBe(true);
    expect(keepPolling(new ApiError(503, 'UNAVAILABLE', 'later', null))).toBe(true);
    expect(keepPolling(new TypeError('Failed to fetch'))).toBe(true);
  });
});
