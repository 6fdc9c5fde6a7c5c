import { Injectable } from '@nestjs/common';
import type { AuthenticatedKey } from '../access/api-keys.service';
import type { JobEventStream } from '../live/job-event-stream';
import { JobEventsService } from '../live/job-events.service';
import type { JobNotification } from '../live/job-notification';
import { SseWriter } from '../live/sse-writer';
import type { JobViewDto } from '../jobs/dto/job.dto';
import type { JobEventDto } from '../live/dto/job-event.dto';

/** A pull-based queue: what the stream pushes, the subscription reads; `return()` (the client left) stops the stream. */
export class EventQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiting?: (result: IteratorResult<T>) => void;
  private ended = false;

  constructor(private readonly onReturn: () => void) {}

  push(item: T): void {
    if (this.ended) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: item, done: false });
    } else this.items.push(item);
  }

  /** No more items: the reader gets what is queued, then done. */
  end(): void {
    this.ended = true;
    if (this.waiting && this.items.length === 0) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length) return Promise.resolve({ value: this.items.shift()!, done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.items.length = 0;
    this.end();
    this.onReturn();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}

/** The SSE stream's events as GraphQL JobEvents: `state` carries the job; the others are the notifications. */
export function toJobEvent(name: string, data: unknown, version: number | undefined): JobEventDto {
  if (name === 'state') {
    const view = data as JobViewDto;
    return {
      type: 'state',
      job_id: view.job_id,
      status: view.status,
      version: version ?? 0,
      stage: null,
      stage_status: null,
      percent: null,
      overall_progress: view.overall_progress,
      detail: null,
      error: view.error,
      job: view,
    };
  }
  const n = data as JobNotification & { job?: JobViewDto };
  return {
    type: name,
    job_id: n.job_id,
    status: n.status,
    version: n.version,
    stage: n.stage ?? null,
    stage_status: n.stage_status ?? null,
    percent: n.percent ?? null,
    overall_progress: n.overall_progress ?? n.job?.overall_progress,
    detail: n.detail ?? null,
    error: n.error ?? null,
    job: n.job ?? null,
  };
}

/** What JobEventStream writes, delivered to a subscription instead of an HTTP response. */
class SubscriptionSink extends SseWriter {
  private ended = false;

  constructor(
    private readonly deliver: (event: JobEventDto) => void,
    private readonly finish: () => void,
  ) {
    super(undefined as never);
  }

  override open(): void {}

  override event(name: string, data: unknown, id?: number): void {
    if (!this.ended) this.deliver(toJobEvent(name, data, id));
  }

  override comment(): void {}

  override end(): void {
    if (this.ended) return;
    this.ended = true;
    this.finish();
  }

  override get closed(): boolean {
    return this.ended;
  }
}

/**
 * jobProgress: the very stream the SSE route serves (live/: JobEventStream over the LISTEN hub, state
 * first, newer changes by version, the final job on the terminal event, a resync after a lost LISTEN
 * connection, the end on the key's revocation), delivered as GraphQL subscription events.
 */
@Injectable()
export class JobProgressSource {
  constructor(private readonly events: JobEventsService) {}

  /** Throws JOB_NOT_FOUND (unknown id, another tenant's job) before anything is delivered. */
  async open(jobId: string, key: AuthenticatedKey): Promise<AsyncIterableIterator<JobEventDto>> {
    const stop = { stream: undefined as JobEventStream | undefined };
    const queue = new EventQueue<JobEventDto>(() => stop.stream?.close());
    const sink = new SubscriptionSink(
      (e) => queue.push(e),
      () => queue.end(),
    );
    stop.stream = await this.events.open(jobId, key, sink);
    return queue;
  }
}
