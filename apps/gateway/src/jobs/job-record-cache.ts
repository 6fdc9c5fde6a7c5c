import { metricsRegistry } from '@tf/observability';
import { Counter } from 'prom-client';
import type { JobRecord } from './job-record';

const lookups = new Counter({
  name: 'tf_job_cache_lookups_total',
  help: 'Job reads of the status read (REST, GraphQL, SSE snapshots) by where the job came from: hit (this process), miss (the database), off (cache disabled or its invalidation feed down).',
  labelNames: ['result'] as const,
  registers: [metricsRegistry],
});

export interface JobRecordCacheOptions {
  /** How long a job is reused at most (0: never; every read asks the database). */
  ttlMs: number;
  /** Jobs remembered (the least recently read forgotten first). */
  maxEntries: number;
  now?: () => number;
}

interface Entry {
  job: JobRecord;
  expiresAt: number;
}

/** How long a job changed here stays out of the cache when its notification never comes (a rolled-back write). */
const HOLD_MS = 10_000;

/**
 * Jobs remembered in this process, so that a status read (GET /api/v1/jobs/:id, GraphQL `job`, an SSE
 * snapshot) does not ask Postgres again for a job that did not change. Every change of a job is announced
 * on the live feed (pg NOTIFY tf_job_events, sent on commit by whoever wrote it: the tracker, the job
 * control, an upload), which JobEventsHub LISTENs to and turns into `invalidate` before anything else
 * hears of it. The cache answers only while that feed is up (`setListening`): with the LISTEN connection
 * lost it is emptied and every read asks the database. A read that was in flight when an invalidation
 * came is not stored (the generation changed), so a row read before a commit is never kept after the
 * commit's notification. The record is what is kept; JobQueryService keeps its rendered view next to it
 * only until its links' signing windows end, so they always live their full TF_PRESIGN_EXPIRY_S /
 * TF_PLAYBACK_TTL_S whatever the entry's age. The tenant is checked on every read:
 * another tenant's job is as absent from the cache as from the database. Records are shared between
 * reads: callers never mutate them (writers lock and read the row anew, JobsRepository.lockForUpdate).
 */
export class JobRecordCache {
  private readonly byId = new Map<string, Entry>();
  /** Jobs whose change this process is committing, until their notification arrives: never stored meanwhile. */
  private readonly held = new Map<string, number>();
  private generation = 0;
  private listening = false;
  private readonly now: () => number;

  constructor(private readonly options: JobRecordCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.byId.size;
  }

  /** The tenant's job (null: unknown, or another tenant's), from memory when it can be trusted. */
  async read(id: string, tenantId: string, lookup: () => Promise<JobRecord | null>): Promise<JobRecord | null> {
    const enabled = this.listening && this.options.ttlMs > 0 && this.options.maxEntries > 0;
    if (enabled) {
      const entry = this.byId.get(id);
      if (entry && entry.expiresAt > this.now()) {
        lookups.inc({ result: 'hit' });
        this.byId.delete(id);
        this.byId.set(id, entry); // most recently read last
        return entry.job.tenantId === tenantId ? entry.job : null;
      }
      if (entry) this.byId.delete(id);
    }
    lookups.inc({ result: enabled ? 'miss' : 'off' });
    const generation = this.generation;
    const found = await lookup();
    if (found && enabled && generation === this.generation && this.listening && !this.isHeld(found.id))
      this.store(found);
    return found;
  }

  /** The job changed: its next read asks the database, and reads in flight are not kept. */
  invalidate(jobId: string): void {
    this.generation++;
    this.byId.delete(jobId);
    this.held.delete(jobId);
  }

  /**
   * This process is writing a change of the job (called inside the writer's transaction): the job is dropped
   * and kept out until its notification arrives (`invalidate`), so that a client's next read here after the
   * commit answers it (read-your-writes), even before the NOTIFY has come back through the LISTEN connection.
   * Another replica sees the change when the notification reaches it.
   */
  changing(jobId: string): void {
    this.invalidate(jobId);
    if (this.held.size >= this.options.maxEntries) this.pruneHolds();
    this.held.set(jobId, this.now() + HOLD_MS);
  }

  /** Forget every job (a notification that could not be read may have named any). */
  invalidateAll(): void {
    this.generation++;
    this.byId.clear();
  }

  /** Whether invalidations arrive; either way the cache starts empty (changes may have been missed). */
  setListening(listening: boolean): void {
    this.listening = listening;
    this.invalidateAll();
  }

  private isHeld(jobId: string): boolean {
    const until = this.held.get(jobId);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.held.delete(jobId);
    return false;
  }

  private pruneHolds(): void {
    const now = this.now();
    for (const [id, until] of this.held) if (until <= now) this.held.delete(id);
  }

  private store(job: JobRecord): void {
    this.byId.delete(job.id);
    this.byId.set(job.id, { job, expiresAt: this.now() + this.options.ttlMs });
    if (this.byId.size > this.options.maxEntries) this.byId.delete(this.byId.keys().next().value!);
  }
}
