import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min, ValidateBy } from 'class-validator';
import { ApiShape, apiCode as code } from '../../http';
import { DEFAULT_PAGE_SIZE, DELIVERY_STATUSES, MAX_PAGE_SIZE } from '../webhook-delivery-query';
import { decodeCursor } from '../webhook-views';

/** A parameter's text, trimmed (blank: absent); a repeated one (a list) is left for `givenOnce` to refuse. */
const param = (read: (v: string) => unknown = (v) => v) =>
  Transform(
    ({ value }: { value: unknown }) =>
      typeof value === 'string' ? (value.trim() === '' ? undefined : read(value.trim())) : value,
    { toClassOnly: true },
  );

/**
 * 400 INVALID_QUERY for a parameter given more than once. Declared last on each property (class-validator
 * reports the decorator nearest the property first), so it answers before the property's other rules.
 */
const givenOnce = (name: string) =>
  ValidateBy(
    { name: 'givenOnce', validator: { validate: (v: unknown) => typeof v === 'string' || typeof v === 'number' } },
    { ...code('INVALID_QUERY'), message: `${name} must be given once` },
  );

const isDeliveryCursor = (v: unknown): boolean => {
  try {
    decodeCursor(String(v));
    return true;
  } catch {
    return false;
  }
};

const invalidLimit = { ...code('INVALID_LIMIT'), message: `limit must be a whole number in 1..${MAX_PAGE_SIZE}` };

/** ?job_id=&endpoint_id=&status=&cursor=&limit= of GET /api/v1/webhooks/deliveries. Unknown parameters are ignored. */
@ApiShape({ unknownFields: 'ignore' })
export class DeliveryQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @param()
  @IsOptional()
  @givenOnce('job_id')
  job_id?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @param()
  @IsOptional()
  @givenOnce('endpoint_id')
  endpoint_id?: string;

  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @param()
  @IsOptional()
  @IsIn(DELIVERY_STATUSES, {
    ...code('INVALID_STATUS'),
    message: `status must be one of ${DELIVERY_STATUSES.join(', ')}`,
  })
  @givenOnce('status')
  status?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @param(Number)
  @IsOptional()
  @IsInt(invalidLimit)
  @Min(1, invalidLimit)
  @Max(MAX_PAGE_SIZE, invalidLimit)
  @givenOnce('limit')
  limit?: number;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page' })
  @param()
  @IsOptional()
  @ValidateBy(
    { name: 'isDeliveryCursor', validator: { validate: isDeliveryCursor } },
    { ...code('INVALID_CURSOR'), message: 'cursor is not one this API returned' },
  )
  @givenOnce('cursor')
  cursor?: string;
}
