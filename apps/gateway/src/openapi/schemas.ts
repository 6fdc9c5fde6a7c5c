import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

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

export class JobErrorDto {
  @ApiProperty({ example: 'UNSUPPORTED_CODEC' })
  code!: string;

  @ApiProperty()
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

export class TimelineEntryDto {
  @ApiProperty({ example: 'transcode', description: 'upload, validate, transcode, package, transcribe (others are appended)' }) stage!: string;
  @ApiProperty({ enum: STAGE_STATUSES }) status!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) started_at!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finished_at!: string | null;
  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 100 }) progress!: number | null;
  @ApiProperty({ type: String, nullable: true }) detail!: string | null;
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
  @ApiProperty({ type: JobSourceDto }) source!: JobSourceDto;
  @ApiProperty({ type: [TimelineEntryDto] }) timeline!: TimelineEntryDto[];
  @ApiProperty({ type: [SkippedRenditionDto] }) skipped!: SkippedRenditionDto[];
  @ApiProperty({ type: [OutputViewDto], description: 'Final list once completed; what exists so far before' }) outputs!: OutputViewDto[];
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completed_at!: string | null;
}

export class UploadAcceptedDto {
  @ApiProperty({ format: 'uuid' }) job_id!: string;
  @ApiProperty({ enum: ['queued'] }) status!: string;
}

/** The multipart form of POST /api/v1/jobs/upload (fields may come before or after the file). */
export class UploadFormDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'The video; streamed to storage as it arrives' })
  video_file!: unknown;

  @ApiPropertyOptional({ example: '360p,720p', default: '360p,720p', description: 'Comma-separated ladder labels' })
  target_resolutions?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'true' })
  enable_hls?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'true' })
  enable_transcription?: string;

  @ApiPropertyOptional({ format: 'uri', description: 'http(s) URL the notifier POSTs completion or failure to' })
  webhook_url?: string;

  @ApiPropertyOptional({ enum: ['high', 'normal', 'low'], default: 'normal' })
  priority?: string;

  @ApiPropertyOptional({ example: 'en', description: 'ISO 639-1 spoken-language hint; absent: detect' })
  language?: string;
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
