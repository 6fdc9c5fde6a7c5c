import { ApiError } from '../http/api-error';
import { parseEndpointInput as inputWithPolicy, parseEndpointPatch as patchWithPolicy, parseGracePeriod } from './webhook-endpoint-input';

const LOCAL = { allowPrivateNetworks: true };
const DEPLOYED = { allowPrivateNetworks: false };
const parseEndpointInput = (raw: unknown) => inputWithPolicy(raw, LOCAL);
const parseEndpointPatch = (raw: unknown) => patchWithPolicy(raw, LOCAL);

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e.code;
    throw e;
  }
  throw new Error('did not throw');
};

describe('webhook endpoint input', () => {
  it('defaults events to every type and enabled to true', () => {
    expect(parseEndpointInput({ url: ' https://hooks.example.test/tf ' })).toEqual({
      url: 'https://hooks.example.test/tf',
      events: ['video.completed', 'job.failed'],
      enabled: true,
    });
  });

  it('keeps the documented order and drops repeats', () => {
    expect(parseEndpointInput({ url: 'http://a.test', events: ['job.failed', 'video.completed', 'job.failed'], enabled: false })).toEqual({
      url: 'http://a.test',
      events: ['video.completed', 'job.failed'],
      enabled: false,
    });
  });

  it('rejects bad urls, events, flags and bodies with their codes', () => {
    expect(codeOf(() => parseEndpointInput({}))).toBe('INVALID_WEBHOOK_URL');
    expect(codeOf(() => parseEndpointInput({ url: 'ftp://a.test' }))).toBe('INVALID_WEBHOOK_URL');
    expect(codeOf(() => parseEndpointInput({ url: 'not a url' }))).toBe('INVALID_WEBHOOK_URL');
    expect(codeOf(() => parseEndpointInput({ url: 'https://user:pw@a.test' }))).toBe('INVALID_WEBHOOK_URL');
    expect(codeOf(() => parseEndpointInput({ url: `https://a.test/${'x'.repeat(2100)}` }))).toBe('INVALID_WEBHOOK_URL');
    expect(codeOf(() => parseEndpointInput({ url: 'https://a.test', events: [] }))).toBe('INVALID_EVENTS');
    expect(codeOf(() => parseEndpointInput({ url: 'https://a.test', events: ['video.uploaded'] }))).toBe('INVALID_EVENTS');
    expect(codeOf(() => parseEndpointInput({ url: 'https://a.test', events: 'job.failed' }))).toBe('INVALID_EVENTS');
    expect(codeOf(() => parseEndpointInput({ url: 'https://a.test', enabled: 'yes' }))).toBe('INVALID_ENABLED');
    expect(codeOf(() => parseEndpointInput(['https://a.test']))).toBe('INVALID_BODY');
  });

  it('patches any subset, but not nothing', () => {
    expect(parseEndpointPatch({ enabled: false })).toEqual({ enabled: false });
    expect(parseEndpointPatch({ url: 'https://b.test', events: ['job.failed'] })).toEqual({ url: 'https://b.test', events: ['job.failed'] });
    expect(codeOf(() => parseEndpointPatch({}))).toBe('EMPTY_UPDATE');
    expect(codeOf(() => parseEndpointPatch({ url: 'gopher://x' }))).toBe('INVALID_WEBHOOK_URL');
  });

  it('takes a grace period in whole seconds up to 7 days, else the default', () => {
    expect(parseGracePeriod(undefined, 86400)).toBe(86400);
    expect(parseGracePeriod({}, 86400)).toBe(86400);
    expect(parseGracePeriod({ grace_period_s: 0 }, 86400)).toBe(0);
    expect(parseGracePeriod({ grace_period_s: 60 }, 86400)).toBe(60);
    expect(codeOf(() => parseGracePeriod({ grace_period_s: -1 }, 86400))).toBe('INVALID_GRACE_PERIOD');
    expect(codeOf(() => parseGracePeriod({ grace_period_s: 1.5 }, 86400))).toBe('INVALID_GRACE_PERIOD');
    expect(codeOf(() => parseGracePeriod({ grace_period_s: '60' }, 86400))).toBe('INVALID_GRACE_PERIOD');
    expect(codeOf(() => parseGracePeriod({ grace_period_s: 8 * 86400 }, 86400))).toBe('INVALID_GRACE_PERIOD');
  });
});

describe('endpoint URLs inside the platform network', () => {
  it('are refused on create and on update with WEBHOOK_URL_FORBIDDEN when private networks are not allowed', () => {
    expect(() => inputWithPolicy({ url: 'http://169.254.169.254/latest/meta-data' }, DEPLOYED)).toThrow(expect.objectContaining({ code: 'WEBHOOK_URL_FORBIDDEN' }));
    expect(() => patchWithPolicy({ url: 'http://localhost:8080/h' }, DEPLOYED)).toThrow(expect.objectContaining({ code: 'WEBHOOK_URL_FORBIDDEN' }));
    expect(inputWithPolicy({ url: 'https://hooks.example.com/h' }, DEPLOYED).url).toBe('https://hooks.example.com/h');
  });
});
