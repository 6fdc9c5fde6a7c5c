import { Injectable, Logger } from '@nestjs/common';
import { JobFailed, VideoCompleted } from '@tf/contracts';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookPayload, jobFailedPayload, videoCompletedPayload } from './webhook-payload';

/** Turns pipeline events into webhook deliveries; the delivery loop sends them later. */
@Injectable()
export class WebhookNotificationService {
  private readonly logger = new Logger(WebhookNotificationService.name);

  constructor(private readonly deliveries: WebhookDeliveryRepository) {}

  completed(tx: EntityManager, event: VideoCompleted, url: string): Promise<boolean> {
    return this.enqueue(tx, videoCompletedPayload(event), url);
  }

  /** A second failure of the same job is dropped by the one-failure-per-job index. */
  failed(tx: EntityManager, event: JobFailed, url: string): Promise<boolean> {
    return this.enqueue(tx, jobFailedPayload(event), url);
  }

  private async enqueue(tx: EntityManager, payload: WebhookPayload, url: string): Promise<boolean> {
    const unusable = unusableUrlReason(url);
    // Retrying cannot fix the URL and failing the job over it would be wrong, so the delivery is
    // recorded as failed at once, where support can see it.
    if (unusable) this.logger.warn(`job ${payload.job_id}: not sending ${payload.type} webhook: ${unusable}`);
    const created = await this.deliveries.create(tx, {
      id: randomUUID(),
      jobId: payload.job_id,
      eventId: payload.event_id,
      eventType: payload.type,
      url,
      payload,
      ...(unusable ? { status: 'failed' as const, lastError: unusable } : {}),
    });
    if (!created) this.logger.log(`job ${payload.job_id}: ${payload.type} webhook already queued; ${payload.event_id} skipped`);
    return created;
  }
}

/** Why a webhook_url can never be POSTed to; undefined when it can. */
export function unusableUrlReason(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `INVALID_WEBHOOK_URL: not a URL: ${url}`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `INVALID_WEBHOOK_URL: unsupported scheme ${parsed.protocol}`;
  return undefined;
}
