import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

// The GraphQL shapes mirror the REST JSON field by field (snake_case, same values), so a client
// can switch between the two and the tests can compare them directly. Sizes are Float: GraphQL's
// Int stops at 2^31 - 1 and uploads go up to 10 GiB. Statuses are strings (values as in REST).

@ObjectType({ description: '{code, message}: the same UPPER_SNAKE codes as the REST API' })
export class JobErrorType {
  @Field(() => String) code!: string;
  @Field(() => String) message!: string;
}

@ObjectType('MediaInfo')
export class MediaInfoType {
  @Field(() => Float, { description: 'seconds' }) duration_s!: number;
  @Field(() => Int) width!: number;
  @Field(() => Int) height!: number;
  @Field(() => Int) display_width!: number;
  @Field(() => Int) display_height!: number;
  @Field(() => Int) rotation!: number;
  @Field(() => Float) fps!: number;
  @Field(() => String) video_codec!: string;
  @Field(() => String, { nullable: true }) audio_codec!: string | null;
  @Field(() => Boolean) has_audio!: boolean;
  @Field(() => Float, { description: 'bits/s, 0 when unknown' }) bit_rate!: number;
  @Field(() => String) format_name!: string;
}

@ObjectType('JobSource')
export class JobSourceType {
  @Field(() => String) filename!: string;
  @Field(() => Float) bytes!: number;
  @Field(() => String) content_type!: string;
  @Field(() => MediaInfoType, { nullable: true }) media!: MediaInfoType | null;
}

@ObjectType('JobSummarySource')
export class JobSummarySourceType {
  @Field(() => String) filename!: string;
  @Field(() => Float) bytes!: number;
  @Field(() => String) content_type!: string;
}

@ObjectType('TimelineEntry')
export class TimelineEntryType {
  @Field(() => String) stage!: string;
  @Field(() => String, { description: 'pending | running | completed | failed | skipped | cancelled' }) status!: string;
  @Field(() => String, { nullable: true }) started_at!: string | null;
  @Field(() => String, { nullable: true }) finished_at!: string | null;
  @Field(() => Float, { nullable: true }) progress!: number | null;
  @Field(() => String, { nullable: true }) detail!: string | null;
}

@ObjectType('SkippedRendition')
export class SkippedRenditionType {
  @Field(() => String) label!: string;
  @Field(() => String) reason!: string;
}

@ObjectType('JobOutput')
export class JobOutputType {
  @Field(() => String, { description: 'rendition | hls | audio | thumbnail | transcript' }) kind!: string;
  @Field(() => String) label!: string;
  @Field(() => String, { description: 'Presigned GET URL' }) url!: string;
  @Field(() => String) content_type!: string;
  @Field(() => Float) bytes!: number;
}

@ObjectType('Job', { description: 'A job, as GET /api/v1/jobs/{id} shows it' })
export class JobType {
  @Field(() => ID) job_id!: string;
  @Field(() => String, { description: 'queued | processing | completed | failed | cancelled' }) status!: string;
  @Field(() => JobErrorType, { nullable: true }) error!: JobErrorType | null;
  @Field(() => JobSourceType) source!: JobSourceType;
  @Field(() => [TimelineEntryType]) timeline!: TimelineEntryType[];
  @Field(() => [SkippedRenditionType]) skipped!: SkippedRenditionType[];
  @Field(() => [JobOutputType]) outputs!: JobOutputType[];
  @Field(() => String) created_at!: string;
  @Field(() => String) updated_at!: string;
  @Field(() => String, { nullable: true }) completed_at!: string | null;
}

@ObjectType('JobEvent', {
  description:
    'One event of jobProgress, as the SSE stream sends them: `state` first (with `job`), then `progress` / `stage` ' +
    '(and any other change type), ending with `completed` or `failed` (with the final `job`).',
})
export class JobEventType {
  @Field(() => String) type!: string;
  @Field(() => ID) job_id!: string;
  @Field(() => String) status!: string;
  @Field(() => Int, { description: 'Job version after the change (the SSE id)' }) version!: number;
  @Field(() => String, { nullable: true }) stage!: string | null;
  @Field(() => String, { nullable: true }) stage_status!: string | null;
  @Field(() => Float, { nullable: true }) percent!: number | null;
  @Field(() => String, { nullable: true }) detail!: string | null;
  @Field(() => JobErrorType, { nullable: true }) error!: JobErrorType | null;
  @Field(() => JobType, { nullable: true, description: 'On state and on the terminal event: the job' }) job!: JobType | null;
}
