import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ApiShape } from '../../http/api-shape';
import { apiCode as code } from '../../http/api-validation.pipe';
import { IsIsoTimestamp, IsLaterThan } from '../../http/iso-timestamp';
import { MAX_REASON, RESTARTABLE_STAGES, RestartableStage } from '../job-control';

// Cancel, retry and backfill: the bodies of the routes and mutations of src/control, once (OpenAPI,
// the generated client, GraphQL), validated by the API validation pipe with the documented codes.

const invalidReason = {
  ...code('INVALID_REASON'),
  message: `reason must be a string of at most ${MAX_REASON} characters`,
};

/** POST /api/v1/jobs/:id/cancel (optional body; other properties are ignored). */
@ApiShape({ unknownFields: 'ignore' })
export class CancelRequestDto {
  @ApiPropertyOptional({ maxLength: MAX_REASON, description: 'Why (kept with the job)' })
  @IsOptional()
  @IsString(invalidReason)
  @MaxLength(MAX_REASON, invalidReason)
  reason?: string;
}

@ObjectType('CancelResult')
export class CancelResultDto {
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) job_id!: string;
  @ApiProperty({ enum: ['cancelled'] }) @Field(() => String) status!: 'cancelled';
  @ApiProperty({ format: 'date-time' }) @Field(() => String) cancelled_at!: string;
}

@ObjectType('RetryResult')
export class RetryResultDto {
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) job_id!: string;
  @ApiProperty({ enum: ['processing'] }) @Field(() => String) status!: 'processing';
  @ApiProperty() @Field(() => Int) attempt!: number;
  @ApiProperty({ enum: RESTARTABLE_STAGES, isArray: true, description: 'Where the pipeline restarts' })
  @Field(() => [String], { description: 'Where the pipeline restarts' })
  restarted_stages!: RestartableStage[];
}

const rangeRequired = { ...code('INVALID_RANGE'), message: 'from and to are required ISO 8601 timestamps' };

/** POST /api/v1/admin/jobs/backfill (other properties are ignored). */
@ApiShape({ unknownFields: 'ignore' })
export class BackfillRequestDto {
  @ApiProperty({ format: 'date-time', description: 'Failed jobs created at or after this time (ISO 8601)' })
  @IsString(rangeRequired)
  @IsIsoTimestamp(code('INVALID_TIMESTAMP'))
  from!: string;

  @ApiProperty({ format: 'date-time', description: 'Failed jobs created before this time (ISO 8601)' })
  @IsString(rangeRequired)
  @IsIsoTimestamp(code('INVALID_TIMESTAMP'))
  @IsLaterThan('from', { ...code('INVALID_RANGE'), message: 'from must be before to' })
  to!: string;

  @ApiPropertyOptional({
    description:
      "Only this tenant's jobs (a tenant admin key: its own tenant only; a platform admin key: any, or all without it)",
  })
  @IsOptional()
  @Matches(/\S/, { ...code('INVALID_TENANT'), message: 'tenant must be a non-empty string' })
  tenant?: string;

  @ApiPropertyOptional({ default: false, description: 'Report what would be retried, retry nothing' })
  @IsOptional()
  @IsBoolean({ ...code('INVALID_BOOLEAN'), message: 'dry_run must be true or false' })
  dry_run?: boolean;
}

export class BackfillSkippedJobDto {
  @ApiProperty({ format: 'uuid' }) job_id!: string;
  @ApiProperty({ example: 'JOB_NOT_RETRYABLE' }) code!: string;
  @ApiProperty() message!: string;
}

export class BackfillResultDto {
  @ApiProperty() dry_run!: boolean;
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ type: String, nullable: true }) tenant!: string | null;
  @ApiProperty({ description: 'Failed jobs created in [from, to) (of the tenant, when given)' }) matched!: number;
  @ApiProperty({ description: 'How many of them were retried (0 in a dry run)' }) retried!: number;
  @ApiProperty({
    type: [BackfillSkippedJobDto],
    description: 'Matched jobs that could not be retried (e.g. retried by someone else meanwhile), with why',
  })
  skipped!: BackfillSkippedJobDto[];
  @ApiProperty({ type: [String], description: 'The matched jobs, oldest first' }) job_ids!: string[];
}
