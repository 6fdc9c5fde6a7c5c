import { Inject, Injectable, Logger } from '@nestjs/common';
import { resolvedDestinationProblem } from '@tf/egress';
import { withLogContext } from '@tf/observability';
import { WEBHOOK_CONFIG, WebhookConfig } from './notifier.config';
import { Destination, endpointDestination, jobUrlDestination } from './webhook-destination';
import { WebhookDeliveryRecorder } from './webhook-delivery.recorder';
import { ClaimedDelivery, WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { webhookHeaders } from './webhook-headers';
import { WebhookHttpClient, WebhookHttpResult } from './webhook-http.client';
import { webhookBody } from './webhook-payload';
import { AttemptDecision, decideAfterAttempt } from './webhook-retry';
import { webhookAttemptDuration, webhookAttempts, webhookDeliveries } from './webhook.metrics';

/** Makes one attempt of a claimed delivery: resolve destination and secrets, sign, POST, decide, record. */
@Injectable()
export class WebhookDispatcher {
  private readonly logger = new Logger(WebhookDispatcher.name);

  constructor(
    private readonly http: WebhookHttpClient,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly recorder: WebhookDeliveryRecorder,
    @Inject(WEBHOOK_CONFIG) private readonly config: WebhookConfig,
  ) {}

  /** Its log lines carry the job's id and trace (the loop runs outside any message handler). */
  attempt(delivery: ClaimedDelivery): Promise<AttemptDecision> {
    const fields = { job_id: delivery.payload.job_id, trace_id: delivery.traceId ?? undefined };
    return withLogContext(fields, () => this.attemptOnce(delivery));
  }

  private async attemptOnce(delivery: ClaimedDelivery): Promise<AttemptDecision> {
    const destination = await this.destinationOf(delivery);
    let result: WebhookHttpResult;
    let decision: AttemptDecision;
    let url = delivery.url;
    if ('refused' in destination) {
      // Nothing to POST to (the endpoint was deleted or disabled): retrying cannot help.
      result = { startedAt: new Date(), durationMs: 0, statusCode: null, error: destination.refused };
      decision = { status: 'failed' };
    } else {
      url = destination.url;
      const body = webhookBody(delivery.payload);
      const headers = webhookHeaders(destination.secrets, delivery.eventId, body);
      result = await this.http.post(url, body, headers, this.config.timeoutMs);
      decision = decideAfterAttempt(delivery.seriesAttempt, result.statusCode, this.config.retry);
    }
    await this.deliveries.recordAttempt(delivery, result, decision, url, this.recorder.record);
    webhookAttempts.inc({ outcome: decision.status === 'pending' ? 'retry' : decision.status });
    webhookAttemptDuration.observe(result.durationMs / 1000);
    if (decision.status !== 'pending')
      webhookDeliveries.inc({
        outcome: decision.status === 'delivered' ? 'delivered' : 'refused' in destination ? 'failed' : 'gave_up',
      });
    const target = delivery.endpointId ? `endpoint ${delivery.endpointId}` : 'job webhook_url';
    const what = `webhook ${delivery.payload.type} ${delivery.eventId} (job ${delivery.payload.job_id}, ${target}) attempt ${delivery.attempt}`;
    if (decision.status === 'delivered') this.logger.log(`${what}: delivered (${result.statusCode})`);
    else if (decision.status === 'pending')
      this.logger.warn(`${what}: ${result.error}; retrying in ${decision.retryInMs} ms`);
    else this.logger.error(`${what}: ${result.error}; giving up`);
    return decision;
  }

  private async destinationOf(delivery: ClaimedDelivery): Promise<Destination> {
    const destination = await this.configuredDestination(delivery);
    if ('refused' in destination) return destination;
    // Inside the platform's network a webhook could reach internal services or cloud metadata (SSRF).
    const forbidden = await resolvedDestinationProblem(destination.url, this.config.egress);
    return forbidden ? { refused: `WEBHOOK_DESTINATION_FORBIDDEN: ${forbidden}` } : destination;
  }

  private async configuredDestination(delivery: ClaimedDelivery): Promise<Destination> {
    if (!delivery.endpointId) return jobUrlDestination(delivery.url, this.config.secret);
    const found = await this.endpoints.findMany([delivery.endpointId]);
    return endpointDestination(found.get(delivery.endpointId), new Date());
  }
}
