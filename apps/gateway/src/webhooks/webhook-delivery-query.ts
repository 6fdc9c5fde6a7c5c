import { ApiError } from '../http/api-error';
import { DeliveryCursor, DeliveryFilter } from './webhook-deliveries.repository';
import { decodeCursor } from './webhook-views';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

export interface DeliveryQuery {
  filter: DeliveryFilter;
  cursor: DeliveryCursor | null;
  limit: number;
}

const single = (value: unknown, name: string): string | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw ApiError.badRequest('INVALID_QUERY', `${name} must be given once`);
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
};

/** ?job_id=&endpoint_id=&status=&cursor=&limit= of GET /api/v1/webhooks/deliveries. */
export function parseDeliveryQuery(query: Record<string, unknown>): DeliveryQuery {
  const jobId = single(query.job_id, 'job_id');
  const endpointId = single(query.endpoint_id, 'endpoint_id');
  const status = single(query.status, 'status');
  const cursor = single(query.cursor, 'cursor');
  const limitRaw = single(query.limit, 'limit');
  if (status !== undefined && !(DELIVERY_STATUSES as readonly string[]).includes(status)) {
    throw ApiError.badRequest('INVALID_STATUS', `status must be one of ${DELIVERY_STATUSES.join(', ')}`);
  }
  const limit = limitRaw === undefined ? DEFAULT_PAGE_SIZE : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) throw ApiError.badRequest('INVALID_LIMIT', `limit must be a whole number in 1..${MAX_PAGE_SIZE}`);
  return { filter: { jobId, endpointId, status }, cursor: cursor === undefined ? null : decodeCursor(cursor), limit };
}
