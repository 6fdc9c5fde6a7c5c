import { Inject, Injectable } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { AuthenticatedKey } from '../access/api-keys.service';
import { KeyRevocationWatch } from '../access/key-revocation.watch';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway.config';
import { JobQueryService } from '../jobs/job-query.service';
import { JobEventStream } from './job-event-stream';
import { JobEventsHub } from './job-events.hub';
import { SseWriter } from './sse-writer';

/** Opens SSE streams of jobs on this replica. */
@Injectable()
export class JobEventsService {
  constructor(
    private readonly hub: JobEventsHub,
    private readonly queries: JobQueryService,
    private readonly revocations: KeyRevocationWatch,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async stream(jobId: string, key: AuthenticatedKey, res: ServerResponse): Promise<void> {
    const load = () => this.queries.snapshot(jobId, key.tenantId);
    const stream = new JobEventStream(new SseWriter(res), load, this.config.sseHeartbeatMs);
    // Subscribed before the snapshot is read, so no change can fall between the two.
    const unsubscribe = this.hub.subscribe(jobId, stream);
    let snapshot;
    try {
      snapshot = await load();
    } catch (e) {
      unsubscribe();
      throw e;
    }
    if (res.destroyed) return unsubscribe();
    const unwatch = this.revocations.watch(key.id, () => stream.endForRevokedKey());
    stream.start(snapshot, () => {
      unsubscribe();
      unwatch();
    });
    // The response's close (not the request's, which fires once a body is read) is the client leaving.
    res.once('close', () => stream.close());
  }
}
