import { randomUUID } from 'node:crypto';

/** Fields every event carries (see schemas/*.avsc). */
export interface Envelope {
  event_id: string;
  job_id: string;
  occurred_at: number;
  attempt: number;
}

/** Builds a fresh envelope for an event about `jobId`. */
export function newEnvelope(jobId: string, attempt = 1): Envelope {
  return { event_id: randomUUID(), job_id: jobId, occurred_at: Date.now(), attempt };
}
