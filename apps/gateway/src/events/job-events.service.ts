import { Inject, Injectable } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
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
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async stream(jobId: string, tenantId: string, res: ServerResponse): Promise<void> {
    const load = () => this.queries.snapshot(jobId, tenantId);
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
    stream.start(snapshot, unsubscribe);
    // The response's close (not the request's, which fires once a body is read) is the client leaving.
    res.once('close', () => stream.close());
  }
}
