import { isTerminal, JobRecord } from '../jobs/job-record';
import { JobViewDto } from '../jobs/dto/job.dto';
import { JobEventsListener } from './job-events.hub';
import { JobNotification, clientEventOf, isTerminalNotification } from './job-notification';
import { SseWriter } from './sse-writer';

export type JobSnapshot = { job: JobRecord; view: JobViewDto };

/**
 * One client's SSE stream of one job: the state first, then every newer change, ended after the
 * terminal event. Notifications are handled one at a time (a terminal one renders the final view
 * first), and those older than the snapshot are dropped by version.
 */
export class JobEventStream implements JobEventsListener {
  private snapshotVersion = 0;
  /** The job as last sent, for an `error` event that ends the stream. */
  private last = { job_id: '', status: '', version: 0 };
  private queue: Promise<void> = Promise.resolve();
  private readonly pending: JobNotification[] = [];
  private started = false;
  private heartbeat?: NodeJS.Timeout;
  private onEnd: () => void = () => undefined;

  constructor(
    private readonly sse: SseWriter,
    private readonly loadSnapshot: () => Promise<JobSnapshot>,
    private readonly heartbeatMs: number,
  ) {}

  /** Sends the snapshot and what arrived meanwhile; `onEnd` runs once when the stream ends for any reason. */
  start(snapshot: JobSnapshot, onEnd: () => void): void {
    this.onEnd = onEnd;
    this.sse.open();
    this.started = true;
    this.sendState(snapshot);
    if (this.sse.closed) return;
    this.heartbeat = setInterval(() => this.sse.comment('heartbeat'), this.heartbeatMs);
    for (const n of this.pending.splice(0)) this.enqueue(() => this.handle(n));
  }

  onNotification(notification: JobNotification): void {
    if (!this.started) this.pending.push(notification);
    else this.enqueue(() => this.handle(notification));
  }

  onResync(): void {
    if (this.started) this.enqueue(async () => this.sendState(await this.loadSnapshot()));
  }

  /**
   * The stream's API key stopped authenticating (revoked, or its rotation grace period ended): an
   * `error` event with code KEY_REVOKED says why, then the stream ends. Queued behind what is being
   * sent, so a terminal event already on its way still goes out first.
   */
  endForRevokedKey(): void {
    this.enqueue(() => {
      if (this.sse.closed) return;
      const error = { code: 'KEY_REVOKED', message: 'The API key of this stream was revoked' };
      this.sse.event('error', { ...this.last, type: 'error', error }, this.last.version);
      this.close();
    });
  }

  /** The client went away, or the stream is done. */
  close(): void {
    clearInterval(this.heartbeat);
    this.sse.end();
    const onEnd = this.onEnd;
    this.onEnd = () => undefined;
    onEnd();
  }

  private enqueue(work: () => Promise<void> | void): void {
    this.queue = this.queue.then(work).catch(() => this.close());
  }

  private sendState({ job, view }: JobSnapshot): void {
    this.snapshotVersion = job.version;
    this.last = { job_id: view.job_id, status: view.status, version: job.version };
    this.sse.event('state', view, job.version);
    if (isTerminal(job.status)) this.close();
  }

  private async handle(n: JobNotification): Promise<void> {
    if (this.sse.closed || n.version <= this.snapshotVersion) return;
    this.last = { job_id: n.job_id, status: n.status, version: n.version };
    if (!isTerminalNotification(n)) {
      this.sse.event(n.type, clientEventOf(n), n.version);
      return;
    }
    // The terminal event carries the final job (outputs with URLs), read after the commit that announced it.
    const { view } = await this.loadSnapshot();
    this.sse.event(n.type, { ...clientEventOf(n), job: view }, n.version);
    this.close();
  }
}
