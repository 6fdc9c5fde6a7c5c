import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty } from '@nestjs/swagger';
import type { JobOutput } from '@tf/contracts';
import { JOB_ERROR_CODE_LIST, publicJobError } from '@tf/errors';
import { PlaybackGrantDto } from '../../playback-links/dto/playback-grant.dto';
import { collectOutputs, skippedOutputs } from '../job-outputs';
import { advanceProgress } from '../job-progress';
import { JOB_STATUSES, JobError, JobRecord, JobStatus, StageStatus } from '../job-record';

// The job's JSON, once: these classes describe GET /api/v1/jobs[/:id] in OpenAPI (and so in the
// generated client) and are the GraphQL types of the same answers. Field names are the REST JSON's
// (snake_case), so a client can switch between the two. Sizes are Float in GraphQL: its Int stops at
// 2^31 - 1 and uploads go up to 10 GiB. Statuses are strings in GraphQL (values as in REST).

const STAGE_STATUSES = [
  'pending',
  'queued',
  'running',
  'completed',
  'failed',
  'skipped',
  'cancelled',
] as const satisfies readonly StageStatus[];
const OUTPUT_KINDS = ['rendition', 'hls', 'audio', 'thumbnail', 'transcript'] as const;

/** Why a job failed: a code from the documented list (docs/errors.md, libs/errors) and public text. */
@ObjectType('JobErrorType', { description: '{code, message}: the same UPPER_SNAKE codes as the REST API' })
export class JobErrorDto {
  @ApiProperty({
    enum: JOB_ERROR_CODE_LIST,
    enumName: 'JobErrorCode',
    example: 'CORRUPT_MEDIA',
    description: 'A job error code; meanings in docs/errors.md',
  })
  @Field(() => String, {
    description: `On a job: one of the job error codes (docs/errors.md): ${JOB_ERROR_CODE_LIST.join(', ')}`,
  })
  code!: string;

  @ApiProperty({
    example: 'The file looks like a video but is damaged or cut short.',
    description: 'Public text: no URLs, paths, hosts or system error numbers',
  })
  @Field(() => String, { description: 'Public text: no URLs, paths, hosts or system error numbers' })
  message!: string;
}

@ObjectType('MediaInfo')
export class MediaInfoDto {
  @ApiProperty({ description: 'Duration in seconds' })
  @Field(() => Float, { description: 'seconds' })
  duration_s!: number;
  @ApiProperty() @Field(() => Int) width!: number;
  @ApiProperty() @Field(() => Int) height!: number;
  @ApiProperty({ description: 'Width after rotation' }) @Field(() => Int) display_width!: number;
  @ApiProperty({ description: 'Height after rotation' }) @Field(() => Int) display_height!: number;
  @ApiProperty({ enum: [0, 90, 180, 270] }) @Field(() => Int) rotation!: number;
  @ApiProperty() @Field(() => Float) fps!: number;
  @ApiProperty({ example: 'h264' }) @Field(() => String) video_codec!: string;
  @ApiProperty({ type: String, nullable: true, example: 'aac' }) @Field(() => String, { nullable: true }) audio_codec!:
    string | null;
  @ApiProperty() @Field(() => Boolean) has_audio!: boolean;
  @ApiProperty({ description: 'bits/s, 0 when unknown' })
  @Field(() => Float, { description: 'bits/s, 0 when unknown' })
  bit_rate!: number;
  @ApiProperty({ example: 'mov,mp4,m4a,3gp,3g2,mj2' }) @Field(() => String) format_name!: string;
}

@ObjectType('JobSource')
export class JobSourceDto {
  @ApiProperty({ example: 'holiday.mp4' }) @Field(() => String) filename!: string;
  @ApiProperty() @Field(() => Float) bytes!: number;
  @ApiProperty({ example: 'video/mp4' }) @Field(() => String) content_type!: string;
  @ApiProperty({ type: MediaInfoDto, nullable: true, description: 'Known once the validator probed the file' })
  @Field(() => MediaInfoDto, { nullable: true })
  media!: MediaInfoDto | null;
}

@ObjectType('StageRetry', { description: 'A stage waiting for a retry after an outage' })
export class StageRetryDto {
  @ApiProperty({ example: 2, description: 'The attempt that comes next (the first try was 1)' })
  @Field(() => Int, { description: 'The attempt that comes next (the first try was 1)' })
  attempt!: number;

  @ApiProperty({ type: String, format: 'date-time', description: 'When the stage tries again' })
  @Field(() => String, { description: 'When the stage tries again (ISO time)' })
  next_attempt_at!: string;

  @ApiProperty({ example: 'STORAGE_UNAVAILABLE', description: 'What it waits out (an outage code)' })
  @Field(() => String, { description: 'What it waits out (an outage code)' })
  reason!: string;
}

@ObjectType('TimelineEntry')
export class TimelineEntryDto {
  @ApiProperty({
    example: 'transcode',
    description: 'upload, validate, transcode, package, transcribe (others are appended)',
  })
  @Field(() => String)
  stage!: string;
  @ApiProperty({
    enum: STAGE_STATUSES,
    description:
      'pending: its input is not there yet; queued: its input is there, it waits at its service; running: the stage started the work; then completed, failed, skipped or cancelled',
  })
  @Field(() => String, { description: 'pending | queued | running | completed | failed | skipped | cancelled' })
  status!: StageStatus;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When its input was ready (upstream done); started_at - queued_at is the time it waited',
  })
  @Field(() => String, { nullable: true, description: 'When its input was ready (upstream done)' })
  queued_at!: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the stage reported it started the work (never after finished_at)',
  })
  @Field(() => String, { nullable: true, description: 'When the stage started the work' })
  started_at!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  @Field(() => String, { nullable: true })
  finished_at!: string | null;
  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 100, description: "The stage's own last reading" })
  @Field(() => Float, { nullable: true, description: "The stage's own last reading, 0..100" })
  progress!: number | null;
  @ApiProperty({ type: String, nullable: true }) @Field(() => String, { nullable: true }) detail!: string | null;
  @ApiProperty({
    type: StageRetryDto,
    nullable: true,
    description:
      'Set while the stage waits for a retry after an outage of storage, database or broker; null once it proceeds',
  })
  @Field(() => StageRetryDto, {
    nullable: true,
    description: 'Set while the stage waits for a retry; null once it proceeds',
  })
  retry!: StageRetryDto | null;
}

@ObjectType('SkippedRendition')
export class SkippedRenditionDto {
  @ApiProperty({ example: '1080p' }) @Field(() => String) label!: string;
  @ApiProperty({ example: 'UPSCALE_NOT_ALLOWED' }) @Field(() => String) reason!: string;
}

@ObjectType('JobOutput')
export class OutputViewDto {
  @ApiProperty({ enum: OUTPUT_KINDS })
  @Field(() => String, { description: 'rendition | hls | audio | thumbnail | transcript' })
  kind!: string;
  @ApiProperty({ example: '720p' }) @Field(() => String) label!: string;
  @ApiProperty({ description: 'Presigned GET URL' })
  @Field(() => String, { description: 'Presigned GET URL' })
  url!: string;
  @ApiProperty({ example: 'video/mp4' }) @Field(() => String) content_type!: string;
  @ApiProperty() @Field(() => Float) bytes!: number;
}

/** GET /api/v1/jobs/:id */
@ObjectType('Job', { description: 'A job, as GET /api/v1/jobs/{id} shows it' })
export class JobViewDto {
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) job_id!: string;
  @ApiProperty({ enum: JOB_STATUSES })
  @Field(() => String, { description: 'queued | processing | completed | failed | cancelled' })
  status!: JobStatus;
  @ApiProperty({ type: JobErrorDto, nullable: true })
  @Field(() => JobErrorDto, { nullable: true })
  error!: JobErrorDto | null;
  @ApiProperty({ type: [String], description: 'Client-chosen tags (upload field `labels=a,b`)' })
  @Field(() => [String], { description: 'Client-chosen tags (upload field labels)' })
  labels!: string[];
  @ApiProperty({ description: '1, then +1 for every retry' })
  @Field(() => Int, { description: '1, then +1 for every retry' })
  attempt!: number;
  @ApiProperty({ type: JobSourceDto }) @Field(() => JobSourceDto) source!: JobSourceDto;
  @ApiProperty({
    minimum: 0,
    maximum: 100,
    description:
      "Overall progress, 0..100: each stage's progress weighted by its expected cost (docs/operations.md, Jobs); never goes back",
  })
  @Field(() => Float, { description: 'Overall progress 0..100, weighted by the stages expected cost; never goes back' })
  overall_progress!: number;
  @ApiProperty({ type: [TimelineEntryDto] }) @Field(() => [TimelineEntryDto]) timeline!: TimelineEntryDto[];
  @ApiProperty({ type: [SkippedRenditionDto] }) @Field(() => [SkippedRenditionDto]) skipped!: SkippedRenditionDto[];
  @ApiProperty({ type: [OutputViewDto], description: 'Final list once completed; what exists so far before' })
  @Field(() => [OutputViewDto])
  outputs!: OutputViewDto[];
  @ApiProperty({
    type: PlaybackGrantDto,
    nullable: true,
    description:
      'A signed HLS playback URL (as POST /api/v1/jobs/{id}/playback mints), fresh on every read; null while the job has no HLS stream (enable_hls=false, or not packaged yet)',
  })
  @Field(() => PlaybackGrantDto, {
    nullable: true,
    description: 'A signed HLS playback URL, fresh on every read; null while the job has no HLS stream',
  })
  playback!: PlaybackGrantDto | null;
  @ApiProperty({ format: 'date-time' }) @Field(() => String) created_at!: string;
  @ApiProperty({ format: 'date-time' }) @Field(() => String) updated_at!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  @Field(() => String, { nullable: true })
  completed_at!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  @Field(() => String, { nullable: true })
  cancelled_at!: string | null;
}

@ObjectType('JobSummarySource')
export class JobSummarySourceDto {
  @ApiProperty() @Field(() => String) filename!: string;
  @ApiProperty() @Field(() => Float) bytes!: number;
  @ApiProperty() @Field(() => String) content_type!: string;
}

/** One job of GET /api/v1/jobs: the state without timeline, media or output URLs (GET /api/v1/jobs/:id has those). */
@ObjectType('JobSummary', {
  description: 'A job in a list, as GET /api/v1/jobs shows it (no timeline, media or output URLs)',
})
export class JobSummaryDto {
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) job_id!: string;
  @ApiProperty({ enum: JOB_STATUSES }) @Field(() => String) status!: JobStatus;
  @ApiProperty({ type: JobErrorDto, nullable: true })
  @Field(() => JobErrorDto, { nullable: true })
  error!: JobErrorDto | null;
  @ApiProperty({ type: [String] }) @Field(() => [String]) labels!: string[];
  @ApiProperty() @Field(() => Int) attempt!: number;
  @ApiProperty({ type: JobSummarySourceDto }) @Field(() => JobSummarySourceDto) source!: JobSummarySourceDto;
  @ApiProperty({ minimum: 0, maximum: 100, description: "Overall progress, 0..100, as the job's overall_progress" })
  @Field(() => Float, { description: 'Overall progress 0..100, as the job view' })
  overall_progress!: number;
  @ApiProperty({ format: 'date-time' }) @Field(() => String) created_at!: string;
  @ApiProperty({ format: 'date-time' }) @Field(() => String) updated_at!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  @Field(() => String, { nullable: true })
  completed_at!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  @Field(() => String, { nullable: true })
  cancelled_at!: string | null;
}

/** GET /api/v1/jobs */
@ObjectType('JobPage', { description: 'GET /api/v1/jobs: newest first; pass next_cursor as `after` for the next page' })
export class JobListDto {
  @ApiProperty({ type: [JobSummaryDto] }) @Field(() => [JobSummaryDto]) jobs!: JobSummaryDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last page',
  })
  @Field(() => String, { nullable: true, description: 'null on the last page' })
  next_cursor!: string | null;
}

/** A job's error as the API shows it: a listed code (rows stored before the list existed may hold others). */
const errorView = (error: JobError | null): JobErrorDto | null => error && publicJobError(error.code, error.message);

/** The outputs a response lists: the final list once completed, what exists so far before. */
export const outputsOf = (job: JobRecord): JobOutput[] => job.outputs ?? collectOutputs(job);

/** The API shape of a job; `urls[i]` is the presigned URL of `outputsOf(job)[i]`, `playback` its signed HLS URL. */
export function toJobView(job: JobRecord, urls: string[], playback: PlaybackGrantDto | null): JobViewDto {
  return {
    job_id: job.id,
    status: job.status,
    error: errorView(job.error),
    labels: job.labels,
    attempt: job.attempt,
    source: {
      filename: job.originalFilename,
      bytes: job.source.bytes,
      content_type: job.source.content_type,
      media: job.media,
    },
    overall_progress: advanceProgress(job),
    // jsonb keeps keys in its own order; the API lists them as documented.
    timeline: job.timeline.map(({ stage, status, queued_at, started_at, finished_at, progress, detail, retry }) => ({
      stage,
      status,
      queued_at: queued_at ?? null,
      started_at,
      finished_at,
      progress,
      detail,
      retry: retry ? { attempt: retry.attempt, next_attempt_at: retry.next_attempt_at, reason: retry.reason } : null,
    })),
    skipped: skippedOutputs(job),
    outputs: outputsOf(job).map((o, i) => ({
      kind: o.kind,
      label: o.label,
      url: urls[i],
      content_type: o.object.content_type,
      bytes: o.object.bytes,
    })),
    playback,
    created_at: job.createdAt.toISOString(),
    updated_at: job.updatedAt.toISOString(),
    completed_at: job.completedAt?.toISOString() ?? null,
    cancelled_at: job.cancelledAt?.toISOString() ?? null,
  };
}

export function toJobSummary(job: JobRecord): JobSummaryDto {
  return {
    job_id: job.id,
    status: job.status,
    error: errorView(job.error),
    labels: job.labels,
    attempt: job.attempt,
    source: { filename: job.originalFilename, bytes: job.source.bytes, content_type: job.source.content_type },
    overall_progress: advanceProgress(job),
    created_at: job.createdAt.toISOString(),
    updated_at: job.updatedAt.toISOString(),
    completed_at: job.completedAt?.toISOString() ?? null,
    cancelled_at: job.cancelledAt?.toISOString() ?? null,
  };
}
