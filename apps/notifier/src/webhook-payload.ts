import { JobFailed, JobOutput, VideoCompleted } from '@tf/contracts';
import { publicJobError } from '@tf/errors';

export type WebhookEventType = 'video.completed' | 'job.failed';

/** The JSON body POSTed to the client's webhook_url (documented in docs/webhooks.md). */
export interface WebhookPayload<T extends WebhookEventType = WebhookEventType, D = unknown> {
  type: T;
  /** The pipeline event's id: the same on every retry, so receivers dedupe on it. */
  event_id: string;
  job_id: string;
  /** ISO 8601, when the pipeline event happened (not when this attempt was sent). */
  occurred_at: string;
  data: D;
}

export type VideoCompletedPayload = WebhookPayload<'video.completed', { outputs: JobOutput[] }>;
export type JobFailedPayload = WebhookPayload<
  'job.failed',
  { stage: string; code: string; message: string; retryable: boolean }
>;

export function videoCompletedPayload(e: VideoCompleted): VideoCompletedPayload {
  return {
    type: 'video.completed',
    event_id: e.event_id,
    job_id: e.job_id,
    occurred_at: new Date(Number(e.occurred_at)).toISOString(),
    data: {
      outputs: e.outputs.map(({ kind, label, object }) => ({
        kind,
        label,
        object: { ...object, bytes: Number(object.bytes) },
      })),
    },
  };
}

export function jobFailedPayload(e: JobFailed): JobFailedPayload {
  return {
    type: 'job.failed',
    event_id: e.event_id,
    job_id: e.job_id,
    occurred_at: new Date(Number(e.occurred_at)).toISOString(),
    data: { stage: e.stage, ...publicJobError(e.code, e.message), retryable: e.retryable },
  };
}

/**
 * The raw body. jsonb hands the stored payload back with its keys re-ordered, so the top level is
 * put back in the documented order; retries of one delivery always send byte-identical bodies.
 */
export function webhookBody(p: WebhookPayload): string {
  return JSON.stringify({
    type: p.type,
    event_id: p.event_id,
    job_id: p.job_id,
    occurred_at: p.occurred_at,
    data: p.data,
  });
}
