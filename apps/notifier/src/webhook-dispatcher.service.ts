import { Inject, Injectable, Logger } from '@nestjs/common';
import { WEBHOOK_CONFIG, WebhookConfig } from './notifier.config';
import { ClaimedDelivery, WebhookDeliveryRepository } from './webhook-delivery.repository';
import { webhookHeaders } from './webhook-headers';
import { WebhookHttpClient } from './webhook-http.client';
import { webhookBody } from './webhook-payload';
import { AttemptDecision, decideAfterAttempt } from './webhook-retry';
import { webhookAttemptDuration, webhookAttempts } from './webhook.metrics';

/** Makes one attempt of a claimed delivery: sign, POST, decide, record. */
@Injectable()
export class WebhookDispatcher {
  private readonly logger = new Logger(WebhookDispatcher.name);

  constructor(
    private readonly http: WebhookHttpClient,
    private readonly deliveries: WebhookDeliveryRepository,
    @Inject(WEBHOOK_CONFIG) private readonly config: WebhookConfig,
  ) {}

  async attempt(delivery: ClaimedDelivery): Promise<AttemptDecision> {
    const body = webhookBody(delivery.payload);
    const headers = webhookHeaders(this.config.secret, delivery.eventId, body);
    const result = await this.http.post(delivery.url, body, headers, this.config.timeoutMs);
    const decision = decideAfterAttempt(delivery.attempt, result.statusCode, this.config.retry);
    await this.deliveries.recordAttempt(delivery, result, decision);
    webhookAttempts.inc({ outcome: decision.status === 'pending' ? 'retry' : decision.status });
    webhookAttemptDuration.observe(result.durationMs / 1000);
    const what = `webhook ${delivery.payload.type} ${delivery.eventId} (job ${delivery.payload.job_id}) attempt ${delivery.attempt}`;
    if (decision.status === 'delivered') this.logger.log(`${what}: delivered (${result.statusCode})`);
    else if (decision.status === 'pending') this.logger.warn(`${what}: ${result.error}; retrying in ${decision.retryInMs} ms`);
    else this.logger.error(`${what}: ${result.error}; giving up`);
    return decision;
  }
}
