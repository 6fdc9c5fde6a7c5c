import { deliveryRecordedEvent } from './webhook-delivery-recorded';
import type { DeliverySnapshot } from './webhook-delivery.repository';
import { deliveryTargets } from './webhook-notification.service';

const at = (s: string) => new Date(s);

describe('delivery reports and targets', () => {
  const snapshot: DeliverySnapshot = {
    id: '11111111-1111-4111-8111-111111111111',
    job_id: 'job-1',
    event_id: '22222222-2222-4222-8222-222222222222',
    event_type: 'video.completed',
    tenant_id: 'acme',
    endpoint_id: '33333333-3333-4333-8333-333333333333',
    url: 'https://hooks.example.test/tf',
    status: 'delivered',
    attempts: 2,
    series: 1,
    version: 3,
    last_status_code: 200,
    last_error: null,
    next_attempt_at: at('2025-01-02T03:04:10Z'),
    created_at: at('2025-01-02T03:04:05Z'),
    delivered_at: at('2025-01-02T03:04:09Z'),
    attempt_log: [
      {
        attempt: 1,
        series: 1,
        started_at: at('2025-01-02T03:04:06Z'),
        duration_ms: 12,
        status_code: 500,
        error: 'HTTP 500',
      },
      { attempt: 2, series: 1, started_at: at('2025-01-02T03:04:08Z'), duration_ms: 9, status_code: 200, error: null },
    ],
  };

  it('reports the whole delivery, keyed by its job, with the pipeline event id apart from its own', () => {
    const e = deliveryRecordedEvent(snapshot);
    expect(e).toMatchObject({
      job_id: 'job-1',
      delivery_id: snapshot.id,
      webhook_event_id: snapshot.event_id,
      tenant_id: 'acme',
      endpoint_id: snapshot.endpoint_id,
      status: 'delivered',
      attempts: 2,
      version: 3,
      next_attempt_at: null,
      created_at: Date.parse('2025-01-02T03:04:05Z'),
      delivered_at: Date.parse('2025-01-02T03:04:09Z'),
    });
    expect(e.event_id).not.toBe(snapshot.event_id);
    expect(e.attempt_log).toEqual([
      {
        number: 1,
        series: 1,
        started_at: Date.parse('2025-01-02T03:04:06Z'),
        duration_ms: 12,
        status_code: 500,
        error: 'HTTP 500',
      },
      {
        number: 2,
        series: 1,
        started_at: Date.parse('2025-01-02T03:04:08Z'),
        duration_ms: 9,
        status_code: 200,
        error: null,
      },
    ]);
    expect(deliveryRecordedEvent({ ...snapshot, status: 'pending' }).next_attempt_at).toBe(
      Date.parse('2025-01-02T03:04:10Z'),
    );
  });

  it('sends to the job url and every subscribed endpoint, once per URL', () => {
    const endpoints = [
      { id: 'e1', url: 'https://a.test/hook' },
      { id: 'e2', url: 'https://b.test/hook' },
    ];
    expect(deliveryTargets('https://job.test/hook', endpoints)).toEqual([
      { url: 'https://job.test/hook', endpointId: null },
      { url: 'https://a.test/hook', endpointId: 'e1' },
      { url: 'https://b.test/hook', endpointId: 'e2' },
    ]);
    expect(deliveryTargets('https://a.test/hook', endpoints).map((t) => t.endpointId)).toEqual(['e1', 'e2']);
    expect(deliveryTargets(null, [])).toEqual([]);
  });
});
