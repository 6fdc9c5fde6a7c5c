import type { AuthenticatedKey } from '../access/api-keys.service';
import type { KeyRevocationWatch } from '../access/key-revocation.watch';
import { gatewayConfig } from '../config/gateway.config';
import type { JobQueryService } from '../jobs/job-query.service';
import { JobRecord } from '../jobs/job-record';
import { JobViewDto } from '../jobs/dto/job.dto';
import { JobSnapshot } from './job-event-stream';
import type { JobEventsHub, JobEventsListener } from './job-events.hub';
import { JobEventsService } from './job-events.service';
import { JobNotification } from './job-notification';
import { SseWriter } from './sse-writer';

/** Records what the stream writes instead of answering HTTP. */
class FakeSink {
  readonly frames: string[] = [];
  closed = false;
  open() {}
  event(name: string, _data: unknown, id?: number) {
    if (!this.closed) this.frames.push(`${name}@${id}`);
  }
  comment() {}
  end() {
    this.closed = true;
  }
}

const key = { id: 'k1', tenantId: 't1', scopes: ['jobs:read'] } as AuthenticatedKey;
const snapshot = (version: number): JobSnapshot => ({
  job: { version, status: 'processing' } as JobRecord,
  view: { job_id: 'j', status: 'processing' } as JobViewDto,
});
const progress = (version: number): JobNotification => ({
  job_id: 'j',
  version,
  type: 'progress',
  status: 'processing',
  stage: 'transcode',
  stage_status: 'running',
  percent: 50,
  detail: null,
  error: null,
});
const settle = () => new Promise((r) => setImmediate(r));

/** The hub, the job query and the revocation watch, each recording what the service asked of it. */
function setup(load: (listeners: JobEventsListener[]) => Promise<JobSnapshot>) {
  const listeners: JobEventsListener[] = [];
  const calls: string[] = [];
  const hub = {
    subscribe: (jobId: string, listener: JobEventsListener) => {
      calls.push(`subscribe ${jobId}`);
      listeners.push(listener);
      return () => {
        calls.push(`unsubscribe ${jobId}`);
        listeners.splice(listeners.indexOf(listener), 1);
      };
    },
  };
  const queries = {
    snapshot: (jobId: string, tenantId: string) => {
      calls.push(`snapshot ${jobId} ${tenantId}`);
      return load(listeners);
    },
  };
  const revoked: Array<() => void> = [];
  const revocations = {
    watch: (keyId: string, onRevoked: () => void) => {
      calls.push(`watch ${keyId}`);
      revoked.push(onRevoked);
      return () => calls.push(`unwatch ${keyId}`);
    },
  };
  const service = new JobEventsService(
    hub as unknown as JobEventsHub,
    queries as unknown as JobQueryService,
    revocations as unknown as KeyRevocationWatch,
    gatewayConfig({}),
  );
  return { service, listeners, calls, revoked };
}

describe('JobEventsService.open (the subscribe-then-snapshot shared by SSE and GraphQL subscriptions)', () => {
  it('subscribes before reading the snapshot, so a change committed meanwhile follows the state', async () => {
    const { service, listeners, calls } = setup(async (subscribed) => {
      // The tracker commits version 6 while the snapshot (version 5) is being read.
      for (const l of subscribed) l.onNotification(progress(6));
      return snapshot(5);
    });
    const sink = new FakeSink();
    const stream = await service.open('j', key, sink as unknown as SseWriter);
    await settle();
    expect(calls).toEqual(['subscribe j', 'snapshot j t1', 'watch k1']);
    expect(sink.frames).toEqual(['state@5', 'progress@6']);
    expect(listeners).toHaveLength(1);
    stream?.close();
    expect(calls.slice(3)).toEqual(['unsubscribe j', 'unwatch k1']);
    expect(listeners).toHaveLength(0);
  });

  it('unsubscribes and writes nothing when the snapshot fails (JOB_NOT_FOUND goes to the caller)', async () => {
    const notFound = new Error('No job j');
    const { service, listeners, calls } = setup(async () => {
      throw notFound;
    });
    const sink = new FakeSink();
    await expect(service.open('j', key, sink as unknown as SseWriter)).rejects.toBe(notFound);
    expect(calls).toEqual(['subscribe j', 'snapshot j t1', 'unsubscribe j']);
    expect(listeners).toHaveLength(0);
    expect(sink.frames).toEqual([]);
  });

  it('starts nothing when the client left while the snapshot was read', async () => {
    const { service, listeners, calls } = setup(async () => snapshot(5));
    const sink = new FakeSink();
    await expect(service.open('j', key, sink as unknown as SseWriter, () => true)).resolves.toBeUndefined();
    expect(calls).toEqual(['subscribe j', 'snapshot j t1', 'unsubscribe j']);
    expect(listeners).toHaveLength(0);
    expect(sink.frames).toEqual([]);
  });

  it('ends the stream when the key is revoked, releasing the subscription', async () => {
    const { service, listeners, calls, revoked } = setup(async () => snapshot(5));
    const sink = new FakeSink();
    await service.open('j', key, sink as unknown as SseWriter);
    for (const onRevoked of revoked) onRevoked();
    await settle();
    expect(sink.closed).toBe(true);
    expect(listeners).toHaveLength(0);
    expect(calls).toContain('unwatch k1');
  });
});
