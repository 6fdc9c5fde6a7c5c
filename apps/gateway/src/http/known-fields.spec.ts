import { ApiError } from './api-error';
import { assertKnownFields, closestName } from './known-fields';

const KNOWN = ['target_resolutions', 'enable_hls', 'webhook_url', 'priority'];

describe('assertKnownFields', () => {
  it('passes known names', () => {
    expect(() => assertKnownFields(['priority', 'webhook_url'], KNOWN)).not.toThrow();
    expect(() => assertKnownFields([], KNOWN)).not.toThrow();
  });

  it('answers 400 UNKNOWN_FIELD with the name, bounded, and the known fields', () => {
    let error: unknown;
    try {
      assertKnownFields(['priority', 'x'.repeat(500)], KNOWN);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('UNKNOWN_FIELD');
    expect((error as ApiError).message).toContain(`"${'x'.repeat(100)}…"`);
    expect((error as ApiError).message).toContain('target_resolutions, enable_hls, webhook_url, priority');
  });

  it('suggests the field a typo probably meant, and nothing for unrelated names', () => {
    expect(closestName('target_resolution', KNOWN)).toBe('target_resolutions');
    expect(closestName('Priority', KNOWN)).toBe('priority');
    expect(closestName('webhookurl', KNOWN)).toBe('webhook_url');
    expect(closestName('csrf_token', KNOWN)).toBeUndefined();
  });
});
