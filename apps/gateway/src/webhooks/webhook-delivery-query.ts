import { DeliveryCursor, DeliveryFilter } from './webhook-deliveries.repository';
import type { DeliveryQueryDto } from './dto/webhook-delivery-query.dto';
import { decodeCursor } from './webhook-views';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface DeliveryQuery {
  filter: DeliveryFilter;
  cursor: DeliveryCursor | null;
  limit: number;
}

/** The page a validated DeliveryQueryDto asks for. */
export function deliveryQueryOf(query: DeliveryQueryDto): DeliveryQuery {
  return {
    filter: { jobId: query.job_id, endpointId: query.endpoint_id, status: query.status },
    cursor: query.cursor === undefined ? null : decodeCursor(query.cursor),
    limit: query.limit ?? DEFAULT_PAGE_SIZE,
  };
}
