import type { DataSource } from 'typeorm';
import { JobRecordCache } from '../jobs/job-record-cache';
import { JobEventsHub, JobEventsListener } from './job-events.hub';
import { JobNotification } from './job-notification';
import { SseWriter } from './sse-writer';
import { TenantJobEventStream } from './tenant-job-event-stream';

/** Records what the stream writes instead of answering HTTP. */
class FakeSse {
  readonly frames: Array<{ name: string; data: unknown }> = [];
  closed = false;
  open() {}
  event(name: string, data: unknown) {
    if (!this.closed) this.frames.push({ name, data });
  }
  comment() {}
  end() {
    this.closed = true;
  }
}

const note = (
  jobId: string,
  tenantId: string | undefined,
  type: JobNotification['type'] = 'progress',
): JobNotification => ({
  job_id: jobId,
  ...(tenantId ? { tenant_id: tenantId } : {}),
  version: 3,
  type,
  status: type === 'completed' ? 'completed' : 'processing',
  stage: 'transcode',
  stage_status: 'running',
  percent: 40,
  detail: null,
  error: null,
});

describe('TenantJobEventStream', () => {
  it("sends ready, then each change of the tenant's jobs without the routing field, and resync when changes may be lost", () => {
    const sse = new FakeSse();
    const stream = new TenantJobEventStream(sse as unknown as SseWriter, 60_000);
    stream.start(() => undefined);
    stream.onNotification(note('a', 't1', 'created'));
    stream.onNotification(note('b', 't1', 'completed'));
    stream.onResync();
    expect(sse.frames.map((f) => f.name)).toEqual(['ready', 'created', 'completed', 'resync']);
    expect(sse.frames[1].data).toEqual({ ...note('a', undefined, 'created') });
    expect(sse.frames[1].data).not.toHaveProperty('tenant_id');
    // A terminal change does not end it: the list stays live.
    expect(sse.closed).toBe(false);
    stream.close();
  });

  it('ends with error KEY_REVOKED for a revoked key, calling onEnd once', () => {
    const sse = new FakeSse();
    const onEnd = jest.fn();
    const stream = new TenantJobEventStream(sse as unknown as SseWriter, 60_000);
    stream.start(onEnd);
    stream.endForRevokedKey();
    stream.endForRevokedKey();
    stream.close();
    expect(sse.frames.map((f) => f.name)).toEqual(['ready', 'error']);
    expect(sse.frames[1].data).toMatchObject({ error: { code: 'KEY_REVOKED' } });
    expect(sse.closed).toBe(true);
    expect(onEnd).toHaveBeenCalledTimes(1);
  });
});

describe('JobEventsHub tenant fan-out', () => {
  const dispatchOf = (hub: JobEventsHub) => (n: JobNotification) =>
    (hub as unknown as { dispatch(payload: string): void }).dispatch(JSON.stringify(n));

  it("gives a tenant's streams the changes of that tenant's jobs only, next to the job's own streams", () => {
    const hub = new JobEventsHub({} as DataSource, new JobRecordCache({ ttlMs: 0, maxEntries: 1 }));
    const seen: string[] = [];
    const listener = (name: string): JobEventsListener => ({
      onNotification: (n) => seen.push(`${name}:${n.job_id}`),
      onResync: () => undefined,
    });
    hub.subscribeTenant('t1', listener('t1-list'));
    hub.subscribeTenant('t2', listener('t2-list'));
    const unsubscribe = hub.subscribe('a', listener('job-a'));
    const dispatch = dispatchOf(hub);
    dispatch(note('a', 't1'));
    dispatch(note('b', 't2'));
    // From a replica of before tenant_id: the job's own streams only.
    dispatch(note('c', undefined));
    unsubscribe();
    dispatch(note('a', 't1'));
    expect(seen).toEqual(['job-a:a', 't1-list:a', 't2-list:b', 't1-list:a']);
    expect(hub.subscriberCount).toBe(2);
  });
});
