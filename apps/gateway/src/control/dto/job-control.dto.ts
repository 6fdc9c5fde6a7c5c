import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RESTARTABLE_STAGES, RestartableStage } from '../job-control';

// Cancel, retry and backfill: the bodies of the routes and mutations of src/control, once (OpenAPI,
// the generated client, GraphQL). The request bodies are read by parseCancelRequest and
// parseBackfillRequest, which answer the documented codes (INVALID_REASON, INVALID_RANGE, ...).

/** POST /api/v1/jobs/:id/cancel (optional body). */
export class CancelRequestDto {
  @ApiPropertyOptional({ maxLength: 500, description: 'Why (kept with the job)' }) reason?: string;
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

/** POST /api/v1/admin/jobs/backfill */
export class BackfillRequestDto {
  @ApiProperty({ format: 'date-time', description: 'Failed jobs created at or after this time (ISO 8601)' }) from!: string;
  @ApiProperty({ format: 'date-time', description: 'Failed jobs created before this time (ISO 8601)' }) to!: string;
  @ApiPropertyOptional({ description: 'Only this tenant\'s jobs (a tenant admin key: its own tenant only; a platform admin key: any, or all without it)' })
  tenant?: string;
  @ApiPropertyOptional({ default: false, description: 'Report what would be retried, retry nothing' }) dry_run?: boolean;
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
  @ApiProperty({ type: [BackfillSkippedJobDto], description: 'Matched jobs that could not be retried (e.g. retried by someone else meanwhile), with why' })
  skipped!: BackfillSkippedJobDto[];
  @ApiProperty({ type: [String], description: 'The matched jobs, oldest first' }) job_ids!: string[];
}
