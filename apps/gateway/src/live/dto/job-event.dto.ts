import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JOB_STATUSES } from '../../jobs/job-record';
import { JobErrorDto, JobViewDto } from '../../jobs/dto/job.dto';

/** The `data` of one SSE event and one `jobProgress` event of GraphQL. */
@ObjectType('JobEvent', {
  description:
    'One event of jobProgress, as the SSE stream sends them: `state` first (with `job`), then `progress` / `stage` ' +
    '(and any other change type), ending with `completed` or `failed` (with the final `job`).',
})
export class JobEventDto {
  @ApiProperty({
    example: 'progress',
    description:
      "The change: created, progress, stage, completed, failed, cancelled, …; in GraphQL `state` first (the SSE `state` event's data is the job itself)",
  })
  @Field(() => String)
  type!: string;
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) job_id!: string;
  @ApiProperty({ enum: JOB_STATUSES, description: 'Job status after the change' }) @Field(() => String) status!: string;
  @ApiProperty({ description: 'Job version after the change (also the SSE id)' })
  @Field(() => Int, { description: 'Job version after the change (the SSE id)' })
  version!: number;
  @ApiProperty({ type: String, nullable: true }) @Field(() => String, { nullable: true }) stage!: string | null;
  @ApiProperty({ type: String, nullable: true }) @Field(() => String, { nullable: true }) stage_status!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: "The stage's own reading, 0..100" })
  @Field(() => Float, { nullable: true, description: "The stage's own reading, 0..100" })
  percent!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    minimum: 0,
    maximum: 100,
    description:
      "The job's overall progress after the change (GET's overall_progress): weighted by stage cost, never goes back; null from a gateway replica that predates it",
  })
  @Field(() => Float, {
    nullable: true,
    description: "The job's overall progress after the change, 0..100; never goes back",
  })
  overall_progress?: number | null;
  @ApiProperty({ type: String, nullable: true }) @Field(() => String, { nullable: true }) detail!: string | null;
  @ApiProperty({ type: JobErrorDto, nullable: true })
  @Field(() => JobErrorDto, { nullable: true })
  error!: JobErrorDto | null;
  @ApiPropertyOptional({
    type: JobViewDto,
    nullable: true,
    description: 'On state and on the terminal event (completed, failed, cancelled): the job',
  })
  @Field(() => JobViewDto, { nullable: true, description: 'On state and on the terminal event: the job' })
  job?: JobViewDto | null;
}
