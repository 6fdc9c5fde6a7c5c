import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { ApiShape, apiCode as code } from '../../http';
import {
  CONSUMER_GROUP_ID,
  DEFAULT_DEAD_LETTER_LIMIT,
  MAX_DEAD_LETTER_LIMIT,
  REPLAY_ACTIONS,
  ReplayAction,
} from '../dead-letter-replay';

// The dead-letter routes' shapes (src/dead-letters), once: OpenAPI, the generated client and the pipe's rules.

const invalidGroup = {
  ...code('INVALID_GROUP'),
  message: 'group must be a consumer group id such as tf-transcoder (lower-case letters, digits and dashes)',
};
const invalidJobId = { ...code('INVALID_JOB_ID'), message: 'job_id must be a job id (a UUID)' };
// Kafka keys are the job ids as the pipeline writes them (lower case); an upper-case UUID would match nothing.
const LowerCaseJobId = () => Transform(({ value }) => (typeof value === 'string' ? value.toLowerCase() : value));
const invalidLimit = {
  ...code('INVALID_LIMIT'),
  message: `limit must be an integer from 1 to ${MAX_DEAD_LETTER_LIMIT}`,
};

/** GET /api/v1/admin/dead-letters: which dead letters to show. Unknown parameters are ignored. */
@ApiShape({ unknownFields: 'ignore' })
export class DeadLetterListQueryDto {
  @ApiPropertyOptional({ example: 'tf-transcoder', description: "Only this consumer group's dead letters" })
  @IsOptional()
  @Matches(CONSUMER_GROUP_ID, invalidGroup)
  group?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "Only this job's dead letters" })
  @IsOptional()
  @IsUUID('all', invalidJobId)
  @LowerCaseJobId()
  job_id?: string;

  @ApiPropertyOptional({
    description: `The newest this many per group: default ${DEFAULT_DEAD_LETTER_LIMIT}, at most ${MAX_DEAD_LETTER_LIMIT}`,
  })
  @Transform(
    ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value),
    {
      toClassOnly: true,
    },
  )
  @IsOptional()
  @IsInt(invalidLimit)
  @Min(1, invalidLimit)
  @Max(MAX_DEAD_LETTER_LIMIT, invalidLimit)
  limit?: number;
}

export class DeadLetterQueueDto {
  @ApiProperty({ example: 'tf-transcoder' }) group!: string;
  @ApiProperty({ example: 'tf.dlq.tf-transcoder' }) topic!: string;
  @ApiProperty({ description: 'Dead letters Kafka still retains on the topic (replayed ones included)' })
  depth!: number;
}

/** One parked message: where it came from, why it was parked, and what its job looks like now. */
export class DeadLetterDto {
  @ApiProperty({ example: 'tf-transcoder' }) group!: string;
  @ApiProperty() partition!: number;
  @ApiProperty({ description: 'Offset on the dead-letter topic (a string: Kafka offsets are 64-bit)' }) offset!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'The message key: the job id' })
  job_id!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'VideoValidated', description: 'null: not a pipeline topic' })
  event_type!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'null: the message does not decode' })
  event_id!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'tf.video.validated' }) original_topic!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'TRANSCODE_FAILED' }) error_code!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The failure, redacted (no URL, path or address)' })
  error!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Attempts made before it was parked' })
  attempts!: number | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) failed_at!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'failed',
    description: "The job's status now (null: no such job): a dead letter of a job that moved on is not replayed",
  })
  job_status!: string | null;
}

export class DeadLetterListDto {
  @ApiProperty({
    type: [DeadLetterQueueDto],
    description:
      "The pipeline groups' dead-letter topics in the chain's order, then any other group's holding dead letters (or only the group asked for)",
  })
  queues!: DeadLetterQueueDto[];
  @ApiProperty({ type: [DeadLetterDto], description: 'The newest dead letters of each group, oldest first' })
  dead_letters!: DeadLetterDto[];
}

/** POST /api/v1/admin/dead-letters/:group/replay (optional body; other properties are ignored). */
@ApiShape({ unknownFields: 'ignore' })
export class ReplayRequestDto {
  @ApiPropertyOptional({ format: 'uuid', description: "Only this job's dead letters (default: all the group's)" })
  @IsOptional()
  @IsUUID('all', invalidJobId)
  @LowerCaseJobId()
  job_id?: string;
}

export class ReplayedDeadLetterDto {
  @ApiProperty() partition!: number;
  @ApiProperty() offset!: string;
  @ApiProperty({ format: 'uuid' }) job_id!: string;
  @ApiProperty({
    enum: REPLAY_ACTIONS,
    description:
      "job_retried: the job's failed stage(s) restarted through the job retry; redelivered: handed back to the group on its retry topic",
  })
  action!: ReplayAction;
  @ApiProperty({ type: [String], description: 'job_retried: where the pipeline restarts' })
  restarted_stages!: string[];
}

export class ReplaySkippedDto {
  @ApiProperty() partition!: number;
  @ApiProperty() offset!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) job_id!: string | null;
  @ApiProperty({ example: 'JOB_NOT_RETRYABLE' }) code!: string;
  @ApiProperty() message!: string;
}

export class ReplayResultDto {
  @ApiProperty({ example: 'tf-transcoder' }) group!: string;
  @ApiProperty({ description: 'Dead letters found (of the job, when given)' }) matched!: number;
  @ApiProperty({ type: [ReplayedDeadLetterDto] }) replayed!: ReplayedDeadLetterDto[];
  @ApiProperty({
    type: [ReplaySkippedDto],
    description: 'Dead letters not replayed, with why (e.g. the job moved on: replayed before, retried, completed)',
  })
  skipped!: ReplaySkippedDto[];
}
