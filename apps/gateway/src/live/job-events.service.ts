import { Inject, Injectable } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { AuthenticatedKey } from '../access/api-keys.service';
import { KeyRevocationWatch } from '../access/key-revocation.watch';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway.config';
import { JobQueryService } from '../jobs/job-query.service';
import { JobEventStream } from './job-event-stream';
import { JobEventsHub } from './job-events.hub';
import { SseWriter } from './sse-writer';
import { TenantJobEventStream } from './tenant-job-event-stream';

/** Opens live streams of jobs on this replica: SSE responses here, GraphQL subscriptions through open(). */
@Injectable()
export class JobEventsService {
  constructor(
    private readonly hub: JobEventsHub,
    private readonly queries: JobQueryService,
    private readonly revocations: KeyRevocationWatch,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /**
   * Starts the stream of a job into `sink` (the state, then every newer change, until the terminal
   * event or the key's revocation). Throws JOB_NOT_FOUND (unknown id, another tenant's job) before
   * writing anything; answers undefined, having started nothing, when `gone()` says the client left
   * while the snapshot was read.
   */
  async open(
    jobId: string,
    key: AuthenticatedKey,
    sink: SseWriter,
    gone: () => boolean = () => false,
  ): Promise<JobEventStream | undefined> {
    const load = () => this.queries.snapshot(jobId, key.tenantId);
    const stream = new JobEventStream(sink, load, this.config.sseHeartbeatMs);
    // Subscribed before the snapshot is read, so no change can fall between the two.
    const unsubscribe = this.hub.subscribe(jobId, stream);
    let snapshot;
    try {
      snapshot = await load();
    } catch (e) {
      unsubscribe();
      throw e;
    }
    if (gone()) return void unsubscribe();
    const unwatch = this.revocations.watch(key.id, () => stream.endForRevokedKey());
    stream.start(snapshot, () => {
      unsubscribe();
      unwatch();
    });
    return stream;
  }

  /** Every change of the key's tenant's jobs into `res` until the client leaves or the key is revoked. */
  streamTenant(key: AuthenticatedKey, res: ServerResponse): TenantJobEventStream {
    const stream = new TenantJobEventStream(new SseWriter(res), this.config.sseHeartbeatMs);
    const unsubscribe = this.hub.subscribeTenant(key.tenantId, stream);
    const unwatch = this.revocations.watch(key.id, () => stream.endForRevokedKey());
    stream.start(() => {
      unsubscribe();
      unwatch();
    });
    res.once('close', () => stream.close());
    return stream;
  }

  async stream(jobId: string, key: AuthenticatedKey, res: ServerResponse): Promise<void> {
    const stream = await this.open(jobId, key, new SseWriter(res), () => res.destroyed);
    // The response's close (not the request's, which fires once a body is read) is the client leaving.
    if (stream) res.once('close', () => stream.close());
  }
}
