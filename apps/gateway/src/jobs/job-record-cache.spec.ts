import { metricsRegistry } from '@tf/observability';
import { JobRecord, newJobRecord } from './job-record';
import { JobRecordCache } from './job-record-cache';

const JOB_ID = '6a1c6b53-3d7b-4a52-9f53-5b8f0f3c1a01';

const jobOf = (tenantId: string, version = 1, id = JOB_ID): JobRecord => ({
  ...newJobRecord(
    {
      id,
      tenantId,
      spec: {} as JobRecord['spec'],
      source: { bucket: 'uploads', key: `${id}/source` } as JobRecord['source'],
      originalFilename: 'a.mp4',
    },
    new Date('2026-12-05T20:00:00Z'),
  ),
  version,
});

const lookups = async (): Promise<Record<string, number>> => {
  const metric = await metricsRegistry.getSingleMetric('tf_job_cache_lookups_total')!.get();
  return Object.fromEntries(metric.values.map((v) => [String(v.labels.result), v.value]));
};

/** A database lookup that answers `job` (its current row) and counts the calls. */
const database = (row: () => JobRecord | null) => {
  const lookup = jest.fn(async () => row());
  return { lookup, read: (cache: JobRecordCache, tenant: string, id = JOB_ID) => cache.read(id, tenant, lookup) };
};

describe('JobRecordCache', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000_000;
    metricsRegistry.getSingleMetric('tf_job_cache_lookups_total')!.reset();
  });

  const listeningCache = (ttlMs = 60_000, maxEntries = 100) => {
    const cache = new JobRecordCache({ ttlMs, maxEntries, now: clock });
    cache.setListening(true);
    return cache;
  };

  it('answers a job read again from memory until its TTL, and counts hits and misses', async () => {
    const cache = listeningCache(60_000);
    const db = database(() => jobOf('t1'));
    const first = await db.read(cache, 't1');
    now += 59_999;
    expect(await db.read(cache, 't1')).toBe(first);
    expect(db.lookup).toHaveBeenCalledTimes(1);
    now += 1;
    await db.read(cache, 't1');
    expect(db.lookup).toHaveBeenCalledTimes(2);
    expect(await lookups()).toEqual({ hit: 1, miss: 2 });
  });

  it('keeps a job this process is changing out of the cache until its notification comes back (read-your-writes)', async () => {
    const cache = listeningCache();
    let row = jobOf('t1', 1);
    const db = database(() => row);
    await db.read(cache, 't1');
    cache.changing(JOB_ID); // inside the writer's transaction, before its commit
    await db.read(cache, 't1'); // a read before the commit: the old row, not kept
    row = jobOf('t1', 2); // committed; the NOTIFY is still on its way
    expect(await db.read(cache, 't1')).toMatchObject({ version: 2 });
    expect(db.lookup).toHaveBeenCalledTimes(3);
    cache.invalidate(JOB_ID); // the notification arrived: the job may be kept again
    await db.read(cache, 't1');
    expect(await db.read(cache, 't1')).toMatchObject({ version: 2 });
    expect(db.lookup).toHaveBeenCalledTimes(4);
  });

  it('lets a job changed here be kept again after a while when its notification never comes (a rolled-back write)', async () => {
    const cache = listeningCache();
    const db = database(() => jobOf('t1'));
    cache.changing(JOB_ID);
    await db.read(cache, 't1');
    await db.read(cache, 't1');
    expect(db.lookup).toHaveBeenCalledTimes(2);
    now += 10_001;
    await db.read(cache, 't1');
    await db.read(cache, 't1');
    expect(db.lookup).toHaveBeenCalledTimes(3);
  });

  it("checks the tenant on every read: another tenant's key gets nothing, even with the job cached", async () => {
    const cache = listeningCache();
    const db = database(() => jobOf('t1'));
    await db.read(cache, 't1');
    expect(await cache.read(JOB_ID, 't2', async () => null)).toBeNull();
    expect(await db.read(cache, 't1')).toMatchObject({ tenantId: 't1' });
  });

  it('reads the database again after the job is invalidated (its NOTIFY)', async () => {
    const cache = listeningCache();
    let row = jobOf('t1', 1);
    const db = database(() => row);
    await db.read(cache, 't1');
    row = jobOf('t1', 2);
    cache.invalidate(JOB_ID);
    expect(await db.read(cache, 't1')).toMatchObject({ version: 2 });
    expect(await db.read(cache, 't1')).toMatchObject({ version: 2 });
    expect(db.lookup).toHaveBeenCalledTimes(2);
  });

  it('does not keep a read that was in flight when an invalidation came (the row it read may be older than the commit)', async () => {
    const cache = listeningCache();
    let release!: (job: JobRecord) => void;
    const inFlight = cache.read(JOB_ID, 't1', () => new Promise<JobRecord>((resolve) => (release = resolve)));
    cache.invalidate(JOB_ID); // the change commits while the read is on its way back
    release(jobOf('t1', 1));
    expect(await inFlight).toMatchObject({ version: 1 });
    const db = database(() => jobOf('t1', 2));
    expect(await db.read(cache, 't1')).toMatchObject({ version: 2 });
    expect(db.lookup).toHaveBeenCalledTimes(1);
  });

  it('is off while its feed is down, and starts empty when the feed is back (changes may have been missed)', async () => {
    const cache = new JobRecordCache({ ttlMs: 60_000, maxEntries: 100, now: clock });
    const db = database(() => jobOf('t1'));
    await db.read(cache, 't1'); // never listened yet
    await db.read(cache, 't1');
    expect(db.lookup).toHaveBeenCalledTimes(2);
    cache.setListening(true);
    await db.read(cache, 't1');
    cache.setListening(false);
    expect(cache.size).toBe(0);
    await db.read(cache, 't1');
    expect(cache.size).toBe(0);
    cache.setListening(true);
    await db.read(cache, 't1');
    await db.read(cache, 't1');
    expect(db.lookup).toHaveBeenCalledTimes(5);
    expect(await lookups()).toEqual({ off: 3, miss: 2, hit: 1 });
  });

  it('does not keep a read that was in flight when the feed went down and came back', async () => {
    const cache = listeningCache();
    let release!: (job: JobRecord) => void;
    const inFlight = cache.read(JOB_ID, 't1', () => new Promise<JobRecord>((resolve) => (release = resolve)));
    cache.setListening(false);
    cache.setListening(true);
    release(jobOf('t1', 1));
    await inFlight;
    expect(cache.size).toBe(0);
  });

  it('keeps at most maxEntries jobs, forgetting the least recently read', async () => {
    const cache = listeningCache(60_000, 2);
    const ids = ['a', 'b', 'c'].map((c) => JOB_ID.slice(0, -1) + c);
    const db = ids.map((id) => database(() => jobOf('t1', 1, id)));
    await db[0].read(cache, 't1', ids[0]);
    await db[1].read(cache, 't1', ids[1]);
    await db[0].read(cache, 't1', ids[0]); // a is now the most recently read
    await db[2].read(cache, 't1', ids[2]); // b goes
    expect(cache.size).toBe(2);
    await db[0].read(cache, 't1', ids[0]);
    await db[1].read(cache, 't1', ids[1]);
    expect(db[0].lookup).toHaveBeenCalledTimes(1);
    expect(db[1].lookup).toHaveBeenCalledTimes(2);
  });

  it('with a TTL of 0 never remembers, and never keeps unknown jobs', async () => {
    const off = listeningCache(0);
    const db = database(() => jobOf('t1'));
    await db.read(off, 't1');
    await db.read(off, 't1');
    expect(db.lookup).toHaveBeenCalledTimes(2);
    expect(off.size).toBe(0);

    const on = listeningCache();
    const absent = database(() => null);
    expect(await absent.read(on, 't1')).toBeNull();
    expect(await absent.read(on, 't1')).toBeNull();
    expect(absent.lookup).toHaveBeenCalledTimes(2);
    expect(await lookups()).toMatchObject({ off: 2, miss: 2 });
  });
});
