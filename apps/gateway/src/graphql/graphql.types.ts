import { Field, Float, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { JOB_ERROR_CODE_LIST } from '@tf/errors';

// The GraphQL shapes mirror the REST JSON field by field (snake_case, same values), so a client
// can switch between the two and the tests can compare them directly. Sizes are Float: GraphQL's
// Int stops at 2^31 - 1 and uploads go up to 10 GiB. Statuses are strings (values as in REST).

@ObjectType({ description: '{code, message}: the same UPPER_SNAKE codes as the REST API' })
export class JobErrorType {
  @Field(() => String, { description: `On a job: one of the job error codes (docs/errors.md): ${JOB_ERROR_CODE_LIST.join(', ')}` }) code!: string;
  @Field(() => String, { description: 'Public text: no URLs, paths, hosts or system error numbers' }) message!: string;
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

@ObjectType('StageRetry', { description: 'A stage waiting for a retry after an outage' })
export class StageRetryType {
  @Field(() => Int, { description: 'The attempt that comes next (the first try was 1)' }) attempt!: number;
  @Field(() => String, { description: 'When the stage tries again (ISO time)' }) next_attempt_at!: string;
  @Field(() => String, { description: 'What it waits out (an outage code)' }) reason!: string;
}

@ObjectType('TimelineEntry')
export class TimelineEntryType {
  @Field(() => String) stage!: string;
  @Field(() => String, { description: 'pending | running | completed | failed | skipped | cancelled' }) status!: string;
  @Field(() => String, { nullable: true }) started_at!: string | null;
  @Field(() => String, { nullable: true }) finished_at!: string | null;
  @Field(() => Float, { nullable: true }) progress!: number | null;
  @Field(() => String, { nullable: true }) detail!: string | null;
  @Field(() => StageRetryType, { nullable: true, description: 'Set while the stage waits for a retry; null once it proceeds' }) retry!: StageRetryType | null;
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
  @Field(() => [String], { description: 'Client-chosen tags (upload field labels)' }) labels!: string[];
  @Field(() => Int, { description: '1, then +1 for every retry' }) attempt!: number;
  @Field(() => JobSourceType) source!: JobSourceType;
  @Field(() => [TimelineEntryType]) timeline!: TimelineEntryType[];
  @Field(() => [SkippedRenditionType]) skipped!: SkippedRenditionType[];
  @Field(() => [JobOutputType]) outputs!: JobOutputType[];
  @Field(() => String) created_at!: string;
  @Field(() => String) updated_at!: string;
  @Field(() => String, { nullable: true }) completed_at!: string | null;
  @Field(() => String, { nullable: true }) cancelled_at!: string | null;
}

@ObjectType('JobSummary', { description: 'A job in a list, as GET /api/v1/jobs shows it (no timeline, media or output URLs)' })
export class JobSummaryType {
  @Field(() => ID) job_id!: string;
  @Field(() => String) status!: string;
  @Field(() => JobErrorType, { nullable: true }) error!: JobErrorType | null;
  @Field(() => [String]) labels!: string[];
  @Field(() => Int) attempt!: number;
  @Field(() => JobSummarySourceType) source!: JobSummarySourceType;
  @Field(() => String) created_at!: string;
  @Field(() => String) updated_at!: string;
  @Field(() => String, { nullable: true }) completed_at!: string | null;
  @Field(() => String, { nullable: true }) cancelled_at!: string | null;
}

@ObjectType('JobPage', { description: 'GET /api/v1/jobs: newest first; pass next_cursor as `after` for the next page' })
export class JobPageType {
  @Field(() => [JobSummaryType]) jobs!: JobSummaryType[];
  @Field(() => String, { nullable: true, description: 'null on the last page' }) next_cursor!: string | null;
}

@ObjectType('CancelResult')
export class CancelResultType {
  @Field(() => ID) job_id!: string;
  @Field(() => String) status!: string;
  @Field(() => String) cancelled_at!: string;
}

@ObjectType('RetryResult')
export class RetryResultType {
  @Field(() => ID) job_id!: string;
  @Field(() => String) status!: string;
  @Field(() => Int) attempt!: number;
  @Field(() => [String], { description: 'Where the pipeline restarts' }) restarted_stages!: string[];
}

@ObjectType('HttpHeader')
export class HttpHeaderType {
  @Field(() => String) name!: string;
  @Field(() => String) value!: string;
}

@ObjectType('UploadPartTarget')
export class UploadPartTargetType {
  @Field(() => Int) part_number!: number;
  @Field(() => Float, { description: 'Byte offset of the part in the file' }) offset!: number;
  @Field(() => Float) bytes!: number;
  @Field(() => String, { description: 'Presigned PUT URL' }) url!: string;
}

@ObjectType('UploadInstructions', { description: 'Where to PUT the bytes: `url` (single) or one URL per part (multipart; keep each ETag)' })
export class UploadInstructionsType {
  @Field(() => String) method!: string;
  @Field(() => String) expires_at!: string;
  @Field(() => String, { nullable: true }) url!: string | null;
  @Field(() => [HttpHeaderType]) headers!: HttpHeaderType[];
  @Field(() => [UploadPartTargetType], { nullable: true }) parts!: UploadPartTargetType[] | null;
}

@ObjectType('ReceivedPart')
export class ReceivedPartType {
  @Field(() => Int) part_number!: number;
  @Field(() => Float) bytes!: number;
  @Field(() => String) etag!: string;
}

@ObjectType('DirectUpload', { description: 'POST /api/v1/uploads: a file the client sends straight to object storage' })
export class DirectUploadType {
  @Field(() => ID) upload_id!: string;
  @Field(() => String, { description: 'pending | completed | aborted | failed' }) status!: string;
  @Field(() => String, { description: 'single | multipart' }) mode!: string;
  @Field(() => String) filename!: string;
  @Field(() => String) content_type!: string;
  @Field(() => Float) bytes!: number;
  @Field(() => Float, { nullable: true }) part_size!: number | null;
  @Field(() => Int, { nullable: true }) part_count!: number | null;
  @Field(() => [ReceivedPartType]) parts_received!: ReceivedPartType[];
  @Field(() => Float) bytes_received!: number;
  @Field(() => [Int]) missing_parts!: number[];
  @Field(() => UploadInstructionsType, { nullable: true }) upload!: UploadInstructionsType | null;
  @Field(() => ID, { nullable: true, description: 'Set once completed (submitJob)' }) job_id!: string | null;
  @Field(() => JobErrorType, { nullable: true }) error!: JobErrorType | null;
  @Field(() => String) created_at!: string;
  @Field(() => String) updated_at!: string;
  @Field(() => String, { nullable: true }) completed_at!: string | null;
}

@ObjectType('SubmittedJob', { description: 'POST /api/v1/uploads/{id}/complete' })
export class SubmittedJobType {
  @Field(() => ID) job_id!: string;
  @Field(() => ID) upload_id!: string;
}

@InputType('CreateUploadInput', { description: 'The body of POST /api/v1/uploads: the file, and the same job fields as the multipart form' })
export class CreateUploadInput {
  @Field(() => String) filename!: string;
  @Field(() => Float, { description: 'Exact size in bytes' }) bytes!: number;
  @Field(() => String, { nullable: true }) content_type?: string;
  @Field(() => [String], { nullable: true, description: 'e.g. ["360p", "720p"] (default 360p, 720p)' }) target_resolutions?: string[];
  @Field(() => Boolean, { nullable: true }) enable_hls?: boolean;
  @Field(() => Boolean, { nullable: true }) enable_transcription?: boolean;
  @Field(() => String, { nullable: true }) webhook_url?: string;
  @Field(() => String, { nullable: true, description: 'high | normal | low' }) priority?: string;
  @Field(() => String, { nullable: true, description: 'ISO 639-1' }) language?: string;
}

@InputType('CompletedPartInput')
export class CompletedPartInput {
  @Field(() => Int) part_number!: number;
  @Field(() => String, { description: 'The ETag header S3 answered the part\'s PUT with' }) etag!: string;
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
