import { JobEventsListener } from './job-events.hub';
import { JobNotification, clientEventOf } from './job-notification';
import { SseWriter } from './sse-writer';

/**
 * One client's SSE stream of every job of its tenant (a jobs list kept live): `ready` once open, then
 * each change as its own event (`created`, `progress`, `stage`, `completed`, …: the single job stream's
 * data, without the final view), `resync` when changes may have been missed (the list reloads), and
 * `error` KEY_REVOKED before it ends for a revoked key. Runs until the client leaves.
 */
export class TenantJobEventStream implements JobEventsListener {
  private heartbeat?: NodeJS.Timeout;
  private onEnd: () => void = () => undefined;

  constructor(
    private readonly sse: SseWriter,
    private readonly heartbeatMs: number,
  ) {}

  start(onEnd: () => void): void {
    this.onEnd = onEnd;
    this.sse.open();
    this.sse.event('ready', {});
    this.heartbeat = setInterval(() => this.sse.comment('heartbeat'), this.heartbeatMs);
  }

  onNotification(notification: JobNotification): void {
    this.sse.event(notification.type, clientEventOf(notification));
  }

  onResync(): void {
    this.sse.event('resync', {});
  }

  endForRevokedKey(): void {
    if (this.sse.closed) return;
    this.sse.event('error', {
      type: 'error',
      error: { code: 'KEY_REVOKED', message: 'The API key of this stream was revoked' },
    });
    this.close();
  }

  close(): void {
    clearInterval(this.heartbeat);
    this.sse.end();
    const onEnd = this.onEnd;
    this.onEnd = () => undefined;
    onEnd();
  }
}
