import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JOB_ERROR_CODE_LIST } from '@tf/errors';
import { UploadFieldsDto } from '../uploads/form/upload-fields.dto';

// Classes that only describe the REST API's JSON for OpenAPI (the handlers keep returning their
// interfaces: JobView, UploadAccepted, ...). Field names and nullability follow those interfaces.

export const JOB_STATUSES = ['queued', 'processing', 'completed', 'failed', 'cancelled'] as const;
export const STAGE_STATUSES = ['pending', 'running', 'completed', 'failed', 'skipped'] as const;
export const OUTPUT_KINDS = ['rendition', 'hls', 'audio', 'thumbnail', 'transcript'] as const;

/** Every 4xx/5xx answer. */
export class ApiErrorDto {
  @ApiProperty({ example: 'JOB_NOT_FOUND', description: 'Stable UPPER_SNAKE code' })
  code!: string;

  @ApiProperty({ example: 'No job 3f0c…', description: 'A sentence for humans' })
  message!: string;
}

/** Why a job failed: a code from the documented list (docs/errors.md, libs/errors) and public text. */
export class JobErrorDto {
  @ApiProperty({ enum: JOB_ERROR_CODE_LIST, enumName: 'JobErrorCode', example: 'CORRUPT_MEDIA', description: 'A job error code; meanings in docs/errors.md' })
  code!: string;

  @ApiProperty({ example: 'The file looks like a video but is damaged or cut short.', description: 'Public text: no URLs, paths, hosts or system error numbers' })
  message!: string;
}

export class MediaInfoDto {
  @ApiProperty({ description: 'Duration in seconds' }) duration_s!: number;
  @ApiProperty() width!: number;
  @ApiProperty() height!: number;
  @ApiProperty({ description: 'Width after rotation' }) display_width!: number;
  @ApiProperty({ description: 'Height after rotation' }) display_height!: number;
  @ApiProperty({ enum: [0, 90, 180, 270] }) rotation!: number;
  @ApiProperty() fps!: number;
  @ApiProperty({ example: 'h264' }) video_codec!: string;
  @ApiProperty({ type: String, nullable: true, example: 'aac' }) audio_codec!: string | null;
  @ApiProperty() has_audio!: boolean;
  @ApiProperty({ description: 'bits/s, 0 when unknown' }) bit_rate!: number;
  @ApiProperty({ example: 'mov,mp4,m4a,3gp,3g2,mj2' }) format_name!: string;
}

export class JobSourceDto {
  @ApiProperty({ example: 'holiday.mp4' }) filename!: string;
  @ApiProperty() bytes!: number;
  @ApiProperty({ example: 'video/mp4' }) content_type!: string;
  @ApiProperty({ type: MediaInfoDto, nullable: true, description: 'Known once the validator probed the file' }) media!: MediaInfoDto | null;
}

export class StageRetryDto {
  @ApiProperty({ example: 2, description: 'The attempt that comes next (the first try was 1)' }) attempt!: number;
  @ApiProperty({ type: String, format: 'date-time', description: 'When the stage tries again' }) next_attempt_at!: string;
  @ApiProperty({ example: 'STORAGE_UNAVAILABLE', description: 'What it waits out (an outage code)' }) reason!: string;
}

export class TimelineEntryDto {
  @ApiProperty({ example: 'transcode', description: 'upload, validate, transcode, package, transcribe (others are appended)' }) stage!: string;
  @ApiProperty({ enum: STAGE_STATUSES }) status!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) started_at!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finished_at!: string | null;
  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 100 }) progress!: number | null;
  @ApiProperty({ type: String, nullable: true }) detail!: string | null;
  @ApiProperty({ type: StageRetryDto, nullable: true, description: 'Set while the stage waits for a retry after an outage of storage, database or broker; null once it proceeds' })
  retry!: StageRetryDto | null;
}

export class SkippedRenditionDto {
  @ApiProperty({ example: '1080p' }) label!: string;
  @ApiProperty({ example: 'UPSCALE_NOT_ALLOWED' }) reason!: string;
}

export class OutputViewDto {
  @ApiProperty({ enum: OUTPUT_KINDS }) kind!: string;
  @ApiProperty({ example: '720p' }) label!: string;
  @ApiProperty({ description: 'Presigned GET URL' }) url!: string;
  @ApiProperty({ example: 'video/mp4' }) content_type!: string;
  @ApiProperty() bytes!: number;
}

/** GET /api/v1/jobs/:id */
export class JobViewDto {
  @ApiProperty({ format: 'uuid' }) job_id!: string;
  @ApiProperty({ enum: JOB_STATUSES }) status!: string;
  @ApiProperty({ type: JobErrorDto, nullable: true }) error!: JobErrorDto | null;
  @ApiProperty({ type: [String], description: 'Client-chosen tags (upload field `labels=a,b`)' }) labels!: string[];
  @ApiProperty({ description: '1, then +1 for every retry' }) attempt!: number;
  @ApiProperty({ type: JobSourceDto }) source!: JobSourceDto;
  @ApiProperty({ type: [TimelineEntryDto] }) timeline!: TimelineEntryDto[];
  @ApiProperty({ type: [SkippedRenditionDto] }) skipped!: SkippedRenditionDto[];
  @ApiProperty({ type: [OutputViewDto], description: 'Final list once completed; what exists so far before' }) outputs!: OutputViewDto[];
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completed_at!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) cancelled_at!: string | null;
}

export class JobSummarySourceDto {
  @ApiProperty() filename!: string;
  @ApiProperty() bytes!: number;
  @ApiProperty() content_type!: string;
}

/** One job of GET /api/v1/jobs. */
export class JobSummaryDto {
  @ApiProperty({ format: 'uuid' }) job_id!: string;
  @ApiProperty({ enum: JOB_STATUSES }) status!: string;
  @ApiProperty({ type: JobErrorDto, nullable: true }) error!: JobErrorDto | null;
  @ApiProperty({ type: [String] }) labels!: string[];
  @ApiProperty() attempt!: number;
  @ApiProperty({ type: JobSummarySourceDto }) source!: JobSummarySourceDto;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completed_at!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) cancelled_at!: string | null;
}

/** GET /api/v1/jobs */
export class JobListDto {
  @ApiProperty({ type: [JobSummaryDto] }) jobs!: JobSummaryDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' }) next_cursor!: string | null;
}

export class CancelRequestDto {
  @ApiPropertyOptional({ description: 'Why (kept with the job)' }) reason?: string;
}

export class CancelResultDto {
  @ApiProperty({ format: 'uuid' }) job_id!: string;
  @ApiProperty({ enum: ['cancelled'] }) status!: string;
  @ApiProperty({ format: 'date-time' }) cancelled_at!: string;
}

export class RetryResultDto {
  @ApiProperty({ format: 'uuid' }) job_id!: string;
  @ApiProperty({ enum: ['processing'] }) status!: string;
  @ApiProperty() attempt!: number;
  @ApiProperty({ type: [String], description: 'Where the pipeline restarts' }) restarted_stages!: string[];
}

/** POST /api/v1/uploads */
export class CreateUploadDto {
  @ApiProperty({ example: 'holiday.mp4' }) filename!: string;
  @ApiProperty({ description: 'Exact size of the file in bytes' }) bytes!: number;
  @ApiPropertyOptional({ example: 'video/mp4' }) content_type?: string;
  @ApiPropertyOptional({ oneOf: [{ type: 'string', example: '360p,720p' }, { type: 'array', items: { type: 'string' } }] }) target_resolutions?: string | string[];
  @ApiPropertyOptional({ default: true }) enable_hls?: boolean;
  @ApiPropertyOptional({ default: true }) enable_transcription?: boolean;
  @ApiPropertyOptional({ format: 'uri' }) webhook_url?: string;
  @ApiPropertyOptional({ enum: ['high', 'normal', 'low'], default: 'normal' }) priority?: string;
  @ApiPropertyOptional({ example: 'en' }) language?: string;
}

export class UploadPartTargetDto {
  @ApiProperty() part_number!: number;
  @ApiProperty({ description: 'Byte offset of the part in the file' }) offset!: number;
  @ApiProperty() bytes!: number;
  @ApiProperty({ description: 'Presigned PUT URL' }) url!: string;
}

export class UploadInstructionsDto {
  @ApiProperty({ enum: ['PUT'] }) method!: string;
  @ApiProperty({ format: 'date-time', description: 'When the URLs stop working; GET the upload again for new ones' }) expires_at!: string;
  @ApiPropertyOptional({ description: 'Single mode: PUT the whole file here' }) url?: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'Headers to send with the PUT(s)' }) headers!: Record<string, string>;
  @ApiPropertyOptional({ type: [UploadPartTargetDto], description: 'Multipart mode: one PUT per part; keep each answer\'s ETag' }) parts?: UploadPartTargetDto[];
}

export class ReceivedPartDto {
  @ApiProperty() part_number!: number;
  @ApiProperty() bytes!: number;
  @ApiProperty() etag!: string;
}

export class DirectUploadDto {
  @ApiProperty({ format: 'uuid' }) upload_id!: string;
  @ApiProperty({ enum: ['pending', 'completed', 'aborted', 'failed', 'expired'] }) status!: string;
  @ApiProperty({ enum: ['single', 'multipart'] }) mode!: string;
  @ApiProperty() filename!: string;
  @ApiProperty() content_type!: string;
  @ApiProperty() bytes!: number;
  @ApiProperty({ type: Number, nullable: true }) part_size!: number | null;
  @ApiProperty({ type: Number, nullable: true }) part_count!: number | null;
  @ApiProperty({ type: [ReceivedPartDto] }) parts_received!: ReceivedPartDto[];
  @ApiProperty() bytes_received!: number;
  @ApiProperty({ type: [Number] }) missing_parts!: number[];
  @ApiProperty({ type: UploadInstructionsDto, nullable: true, description: 'Pending only' }) upload!: UploadInstructionsDto | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Set once completed' }) job_id!: string | null;
  @ApiProperty({ type: ApiErrorDto, nullable: true, description: 'Why the upload was refused (an API error code)' }) error!: ApiErrorDto | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completed_at!: string | null;
  @ApiProperty({ format: 'date-time', description: 'A pending upload not completed by then expires: status expired, its bytes dropped' }) expires_at!: string;
}

export class CompletedPartDto {
  @ApiProperty() part_number!: number;
  @ApiProperty({ description: 'ETag header of the part\'s PUT answer' }) etag!: string;
}

export class CompleteUploadDto {
  @ApiPropertyOptional({ type: [CompletedPartDto], description: 'Multipart: every part; nothing for a single PUT' }) parts?: CompletedPartDto[];
}

export class UploadCompletedDto {
  @ApiProperty({ format: 'uuid' }) job_id!: string;
  @ApiProperty({ format: 'uuid' }) upload_id!: string;
}

export class UploadAcceptedDto {
  @ApiProperty({ format: 'uuid' }) job_id!: string;
  @ApiProperty({ enum: ['queued'] }) status!: string;
}

/** The multipart form of POST /api/v1/jobs/upload: the job fields (UploadFieldsDto, the validation's own DTO), the file and labels. */
export class UploadFormDto extends UploadFieldsDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'The video; streamed to storage as it arrives (fields may come before or after it)' })
  video_file!: unknown;

  @ApiPropertyOptional({ example: 'campaign-42,draft', description: 'Comma-separated labels to filter the job list by' })
  labels?: string;
}

/** The `data` of one SSE event (`progress`, `stage`, `completed`, `failed`); `state` carries a JobViewDto. */
export class JobEventDto {
  @ApiProperty({ format: 'uuid' }) job_id!: string;
  @ApiProperty({ enum: ['created', 'progress', 'stage', 'completed', 'failed'] }) type!: string;
  @ApiProperty({ enum: JOB_STATUSES, description: 'Job status after the change' }) status!: string;
  @ApiProperty({ description: 'Job version after the change (also the SSE id)' }) version!: number;
  @ApiProperty({ type: String, nullable: true }) stage!: string | null;
  @ApiProperty({ type: String, enum: STAGE_STATUSES, nullable: true }) stage_status!: string | null;
  @ApiProperty({ type: Number, nullable: true }) percent!: number | null;
  @ApiProperty({ type: String, nullable: true }) detail!: string | null;
  @ApiProperty({ type: JobErrorDto, nullable: true }) error!: JobErrorDto | null;
  @ApiPropertyOptional({ type: JobViewDto, description: 'On completed / failed: the final job' }) job?: JobViewDto;
}
