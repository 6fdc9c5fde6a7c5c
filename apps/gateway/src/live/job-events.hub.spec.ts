import type { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { FakeListenClient as FakeClient } from '../../../../libs/testing/src/fake-listen-client';
import { LIVENESS_INTERVAL_MS, LIVENESS_TIMEOUT_MS } from '../common/pg-listen-connection';
import { JobRecordCache } from '../jobs/job-record-cache';
import type { JobRecord } from '../jobs/job-record';
import { JobEventsHub } from './job-events.hub';

class HubWithFakeClients extends JobEventsHub {
  readonly clients: FakeClient[] = [];
  protected override createClient(): Client {
    const client = new FakeClient();
    this.clients.push(client);
    return client as unknown as Client;
  }
}

const JOB_ID = '6a1c6b53-3d7b-4a52-9f53-5b8f0f3c1a01';
const job = { id: JOB_ID, tenantId: 't1', version: 1 } as JobRecord;

describe('JobEventsHub as the job cache’s invalidation feed', () => {
  let cache: JobRecordCache;
  let hub: HubWithFakeClients;
  /** Caches the job through a read that counts its database lookups. */
  let lookups = 0;
  const read = () => cache.read(JOB_ID, 't1', async () => (lookups++, job));

  beforeEach(() => {
    jest.useFakeTimers();
    lookups = 0;
    cache = new JobRecordCache({ ttlMs: 60_000, maxEntries: 10 });
    hub = new HubWithFakeClients({ options: { url: 'postgres://fake' } } as unknown as DataSource, cache);
  });
  afterEach(async () => {
    await hub.onModuleDestroy();
    jest.useRealTimers();
  });

  it("drops the job from the cache on its notification, before the job's streams hear of it", async () => {
    await hub.onModuleInit();
    await read();
    await read();
    expect(lookups).toBe(1);
    const sizesSeenByStream: number[] = [];
    hub.subscribe(JOB_ID, { onNotification: () => sizesSeenByStream.push(cache.size), onResync: () => undefined });
    hub.clients[0].notify(
      'tf_job_events',
      JSON.stringify({ job_id: JOB_ID, tenant_id: 't1', type: 'progress', version: 2 }),
    );
    expect(sizesSeenByStream).toEqual([0]);
    await read();
    expect(lookups).toBe(2);
  });

  it('empties the cache on a notification it cannot read (it may have named any job)', async () => {
    await hub.onModuleInit();
    await read();
    hub.clients[0].notify('tf_job_events', '{not json');
    expect(cache.size).toBe(0);
  });

  it('turns the cache off when the connection stops answering, and on again (empty) once it is back', async () => {
    await hub.onModuleInit();
    await read();
    hub.clients[0].answers = false; // no error, no end: the peer is just gone
    await jest.advanceTimersByTimeAsync(LIVENESS_INTERVAL_MS + LIVENESS_TIMEOUT_MS);
    expect(cache.size).toBe(0);
    expect(() => hub.assertListening()).toThrow('not listening on tf_job_events');
    await read();
    await read();
    expect(lookups).toBe(3); // off: every read asks the database
    expect(cache.size).toBe(0);

    const resyncs: number[] = [];
    hub.subscribe(JOB_ID, { onNotification: () => undefined, onResync: () => resyncs.push(cache.size) });
    await jest.advanceTimersByTimeAsync(1000);
    expect(hub.clients).toHaveLength(2);
    expect(hub.clients[1].query).toHaveBeenCalledWith(
      "SET application_name TO 'listen:tf_job_events'; LISTEN tf_job_events",
    );
    expect(resyncs).toEqual([0]);
    hub.assertListening();
    await read();
    await read();
    expect(lookups).toBe(4);
  });
});
