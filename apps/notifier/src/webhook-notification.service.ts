import { Injectable, Logger } from '@nestjs/common';
import { JobFailed, JobSpec, VideoCompleted } from '@tf/contracts';
import { currentTraceId } from '@tf/observability';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { unusableUrlReason } from './webhook-destination';
import { WebhookDeliveryRecorder } from './webhook-delivery.recorder';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { EndpointTarget, WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { WebhookPayload, jobFailedPayload, videoCompletedPayload } from './webhook-payload';

/** One place a pipeline event is sent to. */
export interface DeliveryTarget {
  url: string;
  /** null: the job's own spec.webhook_url. */
  endpointId: string | null;
}

/**
 * Destinations of an event: every subscribed endpoint of the tenant, plus the job's own webhook_url
 * unless it is one of those endpoints' URLs (then the endpoint's delivery, signed with the secret
 * the receiver knows, stands for it: the receiver would otherwise get the event twice, once signed
 * with a secret it cannot verify).
 */
export function deliveryTargets(jobUrl: string | null | undefined, endpoints: EndpointTarget[]): DeliveryTarget[] {
  const targets: DeliveryTarget[] = endpoints.map((e) => ({ url: e.url, endpointId: e.id }));
  if (jobUrl && !endpoints.some((e) => e.url === jobUrl)) targets.unshift({ url: jobUrl, endpointId: null });
  return targets;
}

/** What an event queued: deliveries created, and those of them that failed at once (never attempted). */
export interface QueuedDeliveries {
  created: number;
  failedAtOnce: number;
}

/** Turns pipeline events into webhook deliveries; the delivery loop sends them later. */
@Injectable()
export class WebhookNotificationService {
  private readonly logger = new Logger(WebhookNotificationService.name);

  constructor(
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly recorder: WebhookDeliveryRecorder,
  ) {}

  /** Resolves how many deliveries were created, and how many of them failed at once (an unusable URL). */
  completed(tx: EntityManager, event: VideoCompleted): Promise<QueuedDeliveries> {
    return this.enqueue(tx, videoCompletedPayload(event), event.spec);
  }

  /** A second failure of the same job is dropped per destination by the one-failure-per-job index. */
  failed(tx: EntityManager, event: JobFailed): Promise<QueuedDeliveries> {
    return this.enqueue(tx, jobFailedPayload(event), event.spec);
  }

  private async enqueue(
    tx: EntityManager,
    payload: WebhookPayload,
    spec: JobSpec | null | undefined,
  ): Promise<QueuedDeliveries> {
    const queued = { created: 0, failedAtOnce: 0 };
    if (!spec) return queued;
    const endpoints = spec.tenant_id ? await this.endpoints.subscribed(tx, spec.tenant_id, payload.type) : [];
    for (const target of deliveryTargets(spec.webhook_url, endpoints)) {
      const outcome = await this.enqueueOne(tx, payload, spec.tenant_id || null, target);
      if (outcome !== 'skipped') queued.created++;
      if (outcome === 'failed') queued.failedAtOnce++;
    }
    return queued;
  }

  private async enqueueOne(
    tx: EntityManager,
    payload: WebhookPayload,
    tenantId: string | null,
    target: DeliveryTarget,
  ): Promise<'queued' | 'failed' | 'skipped'> {
    const what = `job ${payload.job_id}: ${payload.type} webhook to ${target.endpointId ? `endpoint ${target.endpointId}` : 'its webhook_url'}`;
    const unusable = unusableUrlReason(target.url);
    // Retrying cannot fix the URL and failing the job over it would be wrong, so the delivery is
    // recorded as failed at once, where support (and the tenant's delivery log) can see it.
    if (unusable) this.logger.warn(`${what}: not sending: ${unusable}`);
    const id = randomUUID();
    const created = await this.deliveries.create(tx, {
      id,
      jobId: payload.job_id,
      eventId: payload.event_id,
      eventType: payload.type,
      url: target.url,
      payload,
      tenantId,
      endpointId: target.endpointId,
      traceId: currentTraceId() ?? null,
      ...(unusable ? { status: 'failed' as const, lastError: unusable } : {}),
    });
    if (!created) {
      this.logger.log(`${what}: already queued; ${payload.event_id} skipped`);
      return 'skipped';
    }
    // Reported at once (pending, or failed when it can never be attempted), then after every attempt.
    await this.recorder.record(tx, [id]);
    return unusable ? 'failed' : 'queued';
  }
}
