import type { EgressPolicy } from '@tf/egress';
import { ApiError } from '../http/api-error';
import { validateAs } from '../http/api-validation.pipe';
import { CreateEndpointDto, RotateSecretDto, UpdateEndpointDto } from './dto/webhook-endpoint-input.dto';
import { endpointInputOf, endpointPatchOf, gracePeriodOf } from './webhook-endpoint-input';

const LOCAL = { allowPrivateNetworks: true };
const DEPLOYED = { allowPrivateNetworks: false };
/** Each body through the API validation pipe (its DTO class), then read as the service reads it. */
const inputWithPolicy = async (raw: unknown, egress: EgressPolicy) =>
  endpointInputOf(await validateAs(CreateEndpointDto, raw), egress);
const patchWithPolicy = async (raw: unknown, egress: EgressPolicy) =>
  endpointPatchOf(await validateAs(UpdateEndpointDto, raw), egress);
const parseGracePeriod = async (raw: unknown, fallbackS: number) =>
  gracePeriodOf(await validateAs(RotateSecretDto, raw), fallbackS);
const parseEndpointInput = (raw: unknown) => inputWithPolicy(raw, LOCAL);
const parseEndpointPatch = (raw: unknown) => patchWithPolicy(raw, LOCAL);

const codeOf = async (fn: () => Promise<unknown>): Promise<string> => {
  try {
    await fn();
  } catch (e) {
    if (e instanceof ApiError) return e.code;
    throw e;
  }
  throw new Error('did not throw');
};

describe('webhook endpoint input', () => {
  it('defaults events to every type and enabled to true', async () => {
    expect(await parseEndpointInput({ url: ' https://hooks.example.test/tf ' })).toEqual({
      url: 'https://hooks.example.test/tf',
      events: ['video.completed', 'job.failed'],
      enabled: true,
    });
  });

  it('keeps the documented order and drops repeats', async () => {
    expect(
      await parseEndpointInput({
        url: 'http://a.test',
        events: ['job.failed', 'video.completed', 'job.failed'],
        enabled: false,
      }),
    ).toEqual({
      url: 'http://a.test',
      events: ['video.completed', 'job.failed'],
      enabled: false,
    });
  });

  it('rejects bad urls, events, flags and bodies with their codes', async () => {
    expect(await codeOf(() => parseEndpointInput({}))).toBe('INVALID_WEBHOOK_URL');
    expect(await codeOf(() => parseEndpointInput(undefined))).toBe('INVALID_WEBHOOK_URL');
    expect(await codeOf(() => parseEndpointInput({ url: 42 }))).toBe('INVALID_WEBHOOK_URL');
    expect(await codeOf(() => parseEndpointInput({ url: 'ftp://a.test' }))).toBe('INVALID_WEBHOOK_URL');
    expect(await codeOf(() => parseEndpointInput({ url: 'not a url' }))).toBe('INVALID_WEBHOOK_URL');
    expect(await codeOf(() => parseEndpointInput({ url: 'https://user:pw@a.test' }))).toBe('INVALID_WEBHOOK_URL');
    expect(await codeOf(() => parseEndpointInput({ url: `https://a.test/${'x'.repeat(2100)}` }))).toBe(
      'INVALID_WEBHOOK_URL',
    );
    expect(await codeOf(() => parseEndpointInput({ url: 'https://a.test', events: [] }))).toBe('INVALID_EVENTS');
    expect(await codeOf(() => parseEndpointInput({ url: 'https://a.test', events: ['video.uploaded'] }))).toBe(
      'INVALID_EVENTS',
    );
    expect(await codeOf(() => parseEndpointInput({ url: 'https://a.test', events: 'job.failed' }))).toBe(
      'INVALID_EVENTS',
    );
    expect(await codeOf(() => parseEndpointInput({ url: 'https://a.test', enabled: 'yes' }))).toBe('INVALID_ENABLED');
    expect(await codeOf(() => parseEndpointInput(['https://a.test']))).toBe('INVALID_BODY');
  });

  it('patches any subset, but not nothing', async () => {
    expect(await parseEndpointPatch({ enabled: false })).toEqual({ enabled: false });
    expect(await parseEndpointPatch({ url: 'https://b.test', events: ['job.failed'] })).toEqual({
      url: 'https://b.test',
      events: ['job.failed'],
    });
    expect(await codeOf(() => parseEndpointPatch({}))).toBe('EMPTY_UPDATE');
    expect(await codeOf(() => parseEndpointPatch(undefined))).toBe('EMPTY_UPDATE');
    expect(await codeOf(() => parseEndpointPatch({ url: null }))).toBe('INVALID_WEBHOOK_URL');
    expect(await codeOf(() => parseEndpointPatch({ enabled: null }))).toBe('INVALID_ENABLED');
    expect(await parseEndpointPatch({ enabled: true, other: 1 })).toEqual({ enabled: true });
    expect(await codeOf(() => parseEndpointPatch({ url: 'gopher://x' }))).toBe('INVALID_WEBHOOK_URL');
  });

  it('takes a grace period in whole seconds up to 7 days, else the default', async () => {
    expect(await parseGracePeriod(undefined, 86400)).toBe(86400);
    expect(await parseGracePeriod({}, 86400)).toBe(86400);
    expect(await parseGracePeriod({ grace_period_s: 0 }, 86400)).toBe(0);
    expect(await parseGracePeriod({ grace_period_s: 60 }, 86400)).toBe(60);
    expect(await codeOf(() => parseGracePeriod({ grace_period_s: -1 }, 86400))).toBe('INVALID_GRACE_PERIOD');
    expect(await codeOf(() => parseGracePeriod({ grace_period_s: 1.5 }, 86400))).toBe('INVALID_GRACE_PERIOD');
    expect(await codeOf(() => parseGracePeriod({ grace_period_s: '60' }, 86400))).toBe('INVALID_GRACE_PERIOD');
    expect(await codeOf(() => parseGracePeriod({ grace_period_s: 8 * 86400 }, 86400))).toBe('INVALID_GRACE_PERIOD');
  });
});

describe('endpoint URLs inside the platform network', () => {
  it('are refused on create and on update with WEBHOOK_URL_FORBIDDEN when private networks are not allowed', async () => {
    await expect(inputWithPolicy({ url: 'http://169.254.169.254/latest/meta-data' }, DEPLOYED)).rejects.toThrow(
      expect.objectContaining({ code: 'WEBHOOK_URL_FORBIDDEN' }),
    );
    await expect(patchWithPolicy({ url: 'http://localhost:8080/h' }, DEPLOYED)).rejects.toThrow(
      expect.objectContaining({ code: 'WEBHOOK_URL_FORBIDDEN' }),
    );
    expect((await inputWithPolicy({ url: 'https://hooks.example.com/h' }, DEPLOYED)).url).toBe(
      'https://hooks.example.com/h',
    );
  });
});
