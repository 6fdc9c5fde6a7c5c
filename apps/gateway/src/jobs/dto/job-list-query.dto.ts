import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min, ValidateBy } from 'class-validator';
import { ApiShape, IsIsoTimestamp, IsLaterThan, apiCode as code } from '../../http';
import { LABEL, LABEL_RULE } from '../job-labels';
import { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT, readCursor } from '../job-list-query';
import { JOB_STATUSES, JobStatus } from '../job-record';

/** A query parameter given once; repeated ones (`?a=1&a=2`) count as the last; blank is absent. */
const single = (value: unknown): string | undefined => {
  const v = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
};
const singleParam = (read: (v: string) => unknown = (v) => v) =>
  Transform(
    ({ value }) => {
      const v = single(value);
      return v === undefined ? undefined : read(v);
    },
    { toClassOnly: true },
  );

const invalidLimit = { ...code('INVALID_LIMIT'), message: `limit must be an integer from 1 to ${MAX_LIST_LIMIT}` };

/** GET /api/v1/jobs (and GraphQL `jobs`): the list's query string. Unknown parameters are ignored. */
@ApiShape({ unknownFields: 'ignore' })
export class JobListQueryDto {
  @ApiPropertyOptional({ enum: JOB_STATUSES })
  @singleParam((v) => v.toLowerCase())
  @IsOptional()
  @IsIn(JOB_STATUSES, { ...code('INVALID_STATUS'), message: `status must be one of ${JOB_STATUSES.join(', ')}` })
  status?: JobStatus;

  @ApiPropertyOptional({ description: 'ISO 8601, inclusive' })
  @singleParam()
  @IsOptional()
  @IsIsoTimestamp(code('INVALID_TIMESTAMP'))
  created_after?: string;

  @ApiPropertyOptional({ description: 'ISO 8601, exclusive' })
  @singleParam()
  @IsOptional()
  @IsIsoTimestamp(code('INVALID_TIMESTAMP'))
  @IsLaterThan('created_after', { ...code('INVALID_RANGE'), message: 'created_after must be before created_before' })
  created_before?: string;

  @ApiPropertyOptional({ description: 'Jobs carrying this label (repeat for all of several)' })
  @Transform(
    ({ value }: { value: unknown }) => {
      if (value === undefined) return undefined;
      const labels = (Array.isArray(value) ? value : [value])
        .flatMap((l) => String(l).split(','))
        .map((l) => l.trim())
        .filter(Boolean);
      return [...new Set(labels)];
    },
    { toClassOnly: true },
  )
  @IsOptional()
  @Matches(LABEL, { each: true, ...code('INVALID_LABEL'), message: `each label ${LABEL_RULE}` })
  label?: string[];

  @ApiPropertyOptional({ description: `Page size: default ${DEFAULT_LIST_LIMIT}, at most ${MAX_LIST_LIMIT}` })
  @singleParam((v) => (/^\d+$/.test(v) ? Number(v) : NaN))
  @IsOptional()
  @IsInt(invalidLimit)
  @Min(1, invalidLimit)
  @Max(MAX_LIST_LIMIT, invalidLimit)
  limit?: number;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page' })
  @singleParam()
  @IsOptional()
  @ValidateBy(
    { name: 'isListCursor', validator: { validate: (v: unknown) => typeof v === 'string' && readCursor(v) !== null } },
    { ...code('INVALID_CURSOR'), message: 'cursor is not a next_cursor this API returned' },
  )
  cursor?: string;
}
