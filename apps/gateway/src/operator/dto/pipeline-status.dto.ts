import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ApiShape, apiCode as code } from '../../http';
import { DEFAULT_THROUGHPUT_WINDOW_S, MAX_THROUGHPUT_WINDOW_S } from '../pipeline-overview';

// GET /api/v1/admin/pipeline/status (`tflow ops status`): its query and answer, once.

const invalidWindow = {
  ...code('INVALID_WINDOW'),
  message: `window_s must be an integer from 0 to ${MAX_THROUGHPUT_WINDOW_S}`,
};

/** Unknown parameters are ignored. */
@ApiShape({ unknownFields: 'ignore' })
export class PipelineStatusQueryDto {
  @ApiPropertyOptional({
    description: `Seconds between the two readings of the committed offsets that give the throughput (default ${DEFAULT_THROUGHPUT_WINDOW_S}; 0: one reading, no throughput)`,
  })
  @Transform(
    ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value),
    {
      toClassOnly: true,
    },
  )
  @IsOptional()
  @IsInt(invalidWindow)
  @Min(0, invalidWindow)
  @Max(MAX_THROUGHPUT_WINDOW_S, invalidWindow)
  window_s?: number;
}

export class LaneLagDto {
  @ApiProperty() high!: number;
  @ApiProperty() normal!: number;
  @ApiProperty() low!: number;
}

/** One replica in a consumer group. */
export class ConsumerGroupMemberDto {
  @ApiProperty({ example: 'transcoder-worker-2-4312', description: 'Its Kafka client id: <service>-<hostname>-<pid>' })
  client_id!: string;
  @ApiProperty({ example: '10.0.0.7', description: 'The address the group coordinator sees it connect from' })
  host!: string;
  @ApiProperty({ description: 'Partitions assigned to it over every topic and lane (0: idle, or rebalancing)' })
  assigned_partitions!: number;
}

/** A job the stage failed in the last hour (still failed there). */
export class StageFailureDto {
  @ApiProperty({ format: 'uuid' }) job_id!: string;
  @ApiProperty({ example: 'default' }) tenant_id!: string;
  @ApiProperty({ type: String, nullable: true, example: 'TRANSCODE_FAILED', description: "The job's error code" })
  error_code!: string | null;
  @ApiProperty({ type: String, nullable: true, description: "The job's public error message" })
  message!: string | null;
  @ApiProperty({ format: 'date-time' }) failed_at!: string;
}

/** One consumer group of the chain: a stage, the job tracker or the notifier. */
export class StageStatusDto {
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'transcode',
    description: "The job stage the group runs; null for the gateway's job tracker",
  })
  stage!: string | null;
  @ApiProperty({ example: 'tf-transcoder' }) group!: string;
  @ApiProperty({ example: 'transcoder' }) service!: string;
  @ApiProperty({ example: 'Stable', description: "The group coordinator's state (Empty: no replica running)" })
  state!: string;
  @ApiProperty({ description: 'Replicas in the consumer group now' }) replicas!: number;
  @ApiProperty({ type: [ConsumerGroupMemberDto], description: 'Those replicas, by client id' })
  members!: ConsumerGroupMemberDto[];
  @ApiProperty({ description: 'Messages written to its topics and not yet committed by the group, all lanes' })
  lag!: number;
  @ApiProperty({ type: LaneLagDto, description: 'The lag per priority lane' }) lag_by_lane!: LaneLagDto;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Messages the group committed per second over the window (null with window_s=0)',
  })
  throughput_per_s!: number | null;
  @ApiProperty({ description: 'Dead letters Kafka retains for the group (tflow dlq list)' }) dead_letters!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      "Jobs whose stage completed in the last hour (null: the job timeline does not record this group's completions: the tracker, the notifier)",
  })
  completed_last_hour!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'Jobs this stage failed in the last hour, still failed there (a retried one counts no more); null for the tracker',
  })
  failed_last_hour!: number | null;
  @ApiProperty({
    type: [StageFailureDto],
    description: 'The newest (at most 5) of those failed jobs, newest first; empty for the tracker',
  })
  recent_failures!: StageFailureDto[];
}

export class PipelineStatusDto {
  @ApiProperty({ format: 'date-time', description: 'When Kafka was read (the second reading)' }) read_at!: string;
  @ApiProperty({ description: 'Seconds between the two readings' }) window_s!: number;
  @ApiProperty({
    type: [StageStatusDto],
    description: 'Every consumer group of the pipeline, in the order of the event chain',
  })
  stages!: StageStatusDto[];
}
