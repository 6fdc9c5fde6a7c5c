import { endpointDestination, jobUrlDestination } from './webhook-destination';
import type { EndpointState } from './webhook-endpoints.repository';

const now = new Date('2025-01-02T03:04:05Z');
const endpoint = (over: Partial<EndpointState> = {}): EndpointState => ({
  id: 'e1',
  tenantId: 't1',
  url: 'https://hooks.example.test/a',
  events: ['video.completed'],
  enabled: true,
  secret: 'whsec_new',
  previousSecret: null,
  previousSecretExpiresAt: null,
  deleted: false,
  ...over,
});

describe('webhook destinations', () => {
  it('signs a job webhook_url with the notifier secret', () => {
    expect(jobUrlDestination('https://x.test/h', 'global')).toEqual({ url: 'https://x.test/h', secrets: ['global'] });
    expect(jobUrlDestination('mailto:ops@x.test', 'global')).toEqual({
      refused: expect.stringMatching(/^INVALID_WEBHOOK_URL/),
    });
  });

  it('signs an endpoint with its current secret', () => {
    expect(endpointDestination(endpoint(), now)).toEqual({
      url: 'https://hooks.example.test/a',
      secrets: ['whsec_new'],
    });
  });

  it('adds the previous secret (second) only while the grace window lasts', () => {
    const during = endpoint({ previousSecret: 'whsec_old', previousSecretExpiresAt: new Date(now.getTime() + 1000) });
    expect(endpointDestination(during, now)).toMatchObject({ secrets: ['whsec_new', 'whsec_old'] });
    const after = endpoint({ previousSecret: 'whsec_old', previousSecretExpiresAt: new Date(now.getTime()) });
    expect(endpointDestination(after, now)).toMatchObject({ secrets: ['whsec_new'] });
  });

  it('refuses deleted, unknown and disabled endpoints', () => {
    expect(endpointDestination(endpoint({ deleted: true }), now)).toEqual({
      refused: expect.stringMatching(/^ENDPOINT_DELETED/),
    });
    expect(endpointDestination(undefined, now)).toEqual({ refused: expect.stringMatching(/^ENDPOINT_DELETED/) });
    expect(endpointDestination(endpoint({ enabled: false }), now)).toEqual({
      refused: expect.stringMatching(/^ENDPOINT_DISABLED/),
    });
  });
});
