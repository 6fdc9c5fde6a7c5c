import { Field, Float, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { UploadedPart } from '@tf/storage';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min, NotEquals } from 'class-validator';
import { ApiShape } from '../../../http/api-shape';
import { apiCode as code } from '../../../http/api-validation.pipe';
import { JobFieldRules, JobFieldsText } from '../../form/upload-fields.dto';
import { ApiErrorDto } from '../../../http/dto/api-error.dto';
import { JobErrorDto } from '../../../jobs/dto/job.dto';
import { DirectUploadRecord, DirectUploadStatus } from '../direct-upload-record';
import { UploadMode } from '../upload-plan';

// Direct uploads (POST /api/v1/uploads and the createUpload / submitJob mutations): each body once,
// for OpenAPI, the generated client and GraphQL, validated (REST and GraphQL alike) by the API
// validation pipe with the documented codes.

const MIME_TYPE = /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+$/;
const trimmed = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value), {
    toClassOnly: true,
  });
const invalidFilename = {
  ...code('INVALID_FILENAME'),
  message: 'filename must be a non-empty string of at most 1024 characters',
};
const invalidSize = { ...code('INVALID_SIZE'), message: 'bytes must be the file size, a non-negative integer' };

/**
 * POST /api/v1/uploads; GraphQL `createUpload(input)`. The job fields arrive as JSON (a list, booleans)
 * and are read as the form's text (JobFieldRules), so both uploads answer the same codes and defaults.
 * A declared size over the key's limit is the service's to refuse (413 UPLOAD_TOO_LARGE).
 */
@ApiShape({
  unknownFields: 'UNKNOWN_FIELD',
  notAnObject: {
    code: 'INVALID_BODY',
    message: 'Send a JSON object: {"filename", "bytes", "content_type", ...job fields}',
  },
})
@InputType('CreateUploadInput', {
  description: 'The body of POST /api/v1/uploads: the file, and the same job fields as the multipart form',
})
export class CreateUploadDto implements JobFieldsText {
  @ApiProperty({ example: 'holiday.mp4' })
  @Field(() => String)
  @trimmed()
  @IsString(invalidFilename)
  @Length(1, 1024, invalidFilename)
  filename!: string;

  @ApiProperty({ description: 'Exact size of the file in bytes' })
  @Field(() => Float, { description: 'Exact size in bytes' })
  @IsInt(invalidSize)
  @Min(0, invalidSize)
  @Max(Number.MAX_SAFE_INTEGER, invalidSize)
  @NotEquals(0, { ...code('EMPTY_FILE'), message: 'The file is empty' })
  bytes!: number;

  @ApiPropertyOptional({ example: 'video/mp4' })
  @Field(() => String, { nullable: true })
  @trimmed()
  @IsOptional()
  @Matches(MIME_TYPE, {
    ...code('INVALID_CONTENT_TYPE'),
    message: 'content_type must be a media type such as video/mp4',
  })
  content_type?: string;

  @ApiPropertyOptional({
    oneOf: [
      { type: 'string', example: '360p,720p' },
      { type: 'array', items: { type: 'string' } },
    ],
  })
  @Field(() => [String], { nullable: true, description: 'e.g. ["360p", "720p"] (default 360p, 720p)' })
  @JobFieldRules.target_resolutions()
  target_resolutions?: string;

  @ApiPropertyOptional({ type: Boolean, default: true })
  @Field(() => Boolean, { nullable: true })
  @JobFieldRules.flag('enable_hls')
  enable_hls?: string;

  @ApiPropertyOptional({ type: Boolean, default: true })
  @Field(() => Boolean, { nullable: true })
  @JobFieldRules.flag('enable_transcription')
  enable_transcription?: string;

  @ApiPropertyOptional({ format: 'uri' })
  @Field(() => String, { nullable: true })
  @JobFieldRules.webhook_url()
  webhook_url?: string;

  @ApiPropertyOptional({ enum: ['high', 'normal', 'low'], default: 'normal' })
  @Field(() => String, { nullable: true, description: 'high | normal | low' })
  @JobFieldRules.priority()
  priority?: string;

  @ApiPropertyOptional({ example: 'en' })
  @Field(() => String, { nullable: true, description: 'ISO 639-1' })
  @JobFieldRules.language()
  language?: string;

  @ApiPropertyOptional({
    oneOf: [
      { type: 'string', example: 'campaign-42,draft' },
      { type: 'array', items: { type: 'string' } },
    ],
    description: 'Labels to filter the job list by (INVALID_LABEL: see the form upload)',
  })
  @Field(() => [String], { nullable: true, description: 'e.g. ["campaign-42", "draft"]' })
  @JobFieldRules.labels()
  labels?: string;
}

@ObjectType('HttpHeader')
export class HttpHeaderDto {
  @Field(() => String) name!: string;
  @Field(() => String) value!: string;
}

@ObjectType('UploadPartTarget')
export class UploadPartTargetDto {
  @ApiProperty() @Field(() => Int) part_number!: number;
  @ApiProperty({ description: 'Byte offset of the part in the file' })
  @Field(() => Float, { description: 'Byte offset of the part in the file' })
  offset!: number;
  @ApiProperty() @Field(() => Float) bytes!: number;
  @ApiProperty({ description: 'Presigned PUT URL' })
  @Field(() => String, { description: 'Presigned PUT URL' })
  url!: string;
}

/**
 * Where and how the client sends the bytes still missing (fresh presigned URLs on every read).
 * `headers` is a map in JSON and a list of HttpHeader in GraphQL (it has no map type): the GraphQL
 * field is resolved from the map (UploadInstructionsResolver).
 */
@ObjectType('UploadInstructions', {
  description: 'Where to PUT the bytes: `url` (single) or one URL per part (multipart; keep each ETag)',
})
export class UploadInstructionsDto {
  @ApiProperty({ enum: ['PUT'] }) @Field(() => String) method!: 'PUT';
  @ApiProperty({ format: 'date-time', description: 'When the URLs stop working; GET the upload again for new ones' })
  @Field(() => String)
  expires_at!: string;
  @ApiPropertyOptional({ description: 'Single mode: PUT the whole file here' })
  @Field(() => String, { nullable: true })
  url?: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Headers to send with the PUT(s)',
  })
  headers!: Record<string, string>;
  @ApiPropertyOptional({
    type: [UploadPartTargetDto],
    description: "Multipart mode: one PUT per part; keep each answer's ETag",
  })
  @Field(() => [UploadPartTargetDto], { nullable: true })
  parts?: UploadPartTargetDto[];
}

@ObjectType('ReceivedPart')
export class ReceivedPartDto {
  @ApiProperty() @Field(() => Int) part_number!: number;
  @ApiProperty() @Field(() => Float) bytes!: number;
  @ApiProperty() @Field(() => String) etag!: string;
}

/** POST /api/v1/uploads and GET /api/v1/uploads/:id */
@ObjectType('DirectUpload', { description: 'POST /api/v1/uploads: a file the client sends straight to object storage' })
export class DirectUploadDto {
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) upload_id!: string;
  @ApiProperty({ enum: ['pending', 'completed', 'aborted', 'failed', 'expired'] })
  @Field(() => String, { description: 'pending | completed | aborted | failed' })
  status!: DirectUploadStatus;
  @ApiProperty({ enum: ['single', 'multipart'] })
  @Field(() => String, { description: 'single | multipart' })
  mode!: UploadMode;
  @ApiProperty() @Field(() => String) filename!: string;
  @ApiProperty() @Field(() => String) content_type!: string;
  @ApiProperty() @Field(() => Float) bytes!: number;
  @ApiProperty({ type: [String], description: 'The labels the job gets' })
  @Field(() => [String])
  labels!: string[];
  @ApiProperty({ type: Number, nullable: true }) @Field(() => Float, { nullable: true }) part_size!: number | null;
  @ApiProperty({ type: Number, nullable: true }) @Field(() => Int, { nullable: true }) part_count!: number | null;
  @ApiProperty({
    type: [ReceivedPartDto],
    description: 'What S3 holds now (multipart: the parts received; single: the object once PUT)',
  })
  @Field(() => [ReceivedPartDto])
  parts_received!: ReceivedPartDto[];
  @ApiProperty() @Field(() => Float) bytes_received!: number;
  @ApiProperty({ type: [Number], description: 'Multipart, pending: parts not received yet' })
  @Field(() => [Int])
  missing_parts!: number[];
  @ApiProperty({ type: UploadInstructionsDto, nullable: true, description: 'Pending only' })
  @Field(() => UploadInstructionsDto, { nullable: true })
  upload!: UploadInstructionsDto | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Set once completed' })
  @Field(() => ID, { nullable: true, description: 'Set once completed (submitJob)' })
  job_id!: string | null;
  @ApiProperty({ type: ApiErrorDto, nullable: true, description: 'Why the upload was refused (an API error code)' })
  @Field(() => JobErrorDto, { nullable: true })
  error!: ApiErrorDto | null;
  @ApiProperty({ format: 'date-time' }) @Field(() => String) created_at!: string;
  @ApiProperty({ format: 'date-time' }) @Field(() => String) updated_at!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  @Field(() => String, { nullable: true })
  completed_at!: string | null;
  @ApiProperty({
    format: 'date-time',
    description: 'A pending upload not completed by then expires: status expired, its bytes dropped',
  })
  expires_at!: string;
}

/** One part of a multipart upload's completion. */
@InputType('CompletedPartInput')
export class CompletedPartDto {
  @ApiProperty() @Field(() => Int) part_number!: number;
  @ApiProperty({ description: "ETag header of the part's PUT answer" })
  @Field(() => String, { description: "The ETag header S3 answered the part's PUT with" })
  etag!: string;
}

/** POST /api/v1/uploads/:id/complete (body optional for a single PUT). */
export class CompleteUploadDto {
  @ApiPropertyOptional({ type: [CompletedPartDto], description: 'Multipart: every part; nothing for a single PUT' })
  parts?: CompletedPartDto[];
}

@ObjectType('SubmittedJob', { description: 'POST /api/v1/uploads/{id}/complete' })
export class UploadCompletedDto {
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) job_id!: string;
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) upload_id!: string;
}

export function toDirectUploadDto(
  u: DirectUploadRecord,
  received: UploadedPart[],
  upload: UploadInstructionsDto | null,
  missing: number[],
): DirectUploadDto {
  return {
    upload_id: u.id,
    status: u.status,
    mode: u.mode,
    filename: u.filename,
    content_type: u.contentType,
    bytes: u.bytes,
    labels: u.labels,
    part_size: u.partSize,
    part_count: u.partCount,
    parts_received: received.map((p) => ({ part_number: p.part_number, bytes: p.bytes, etag: p.etag })),
    bytes_received: received.reduce((sum, p) => sum + p.bytes, 0),
    missing_parts: missing,
    upload,
    job_id: u.status === 'completed' ? u.jobId : null,
    error: u.error,
    created_at: u.createdAt.toISOString(),
    updated_at: u.updatedAt.toISOString(),
    completed_at: u.completedAt?.toISOString() ?? null,
    expires_at: u.expiresAt.toISOString(),
  };
}
