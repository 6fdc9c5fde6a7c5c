import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { UploadFieldsDto } from '../upload-fields.dto';

/** The multipart form of POST /api/v1/jobs/upload: the job fields (UploadFieldsDto, the validation's own DTO), the file and labels. */
export class UploadFormDto extends UploadFieldsDto {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description: 'The video; streamed to storage as it arrives (fields may come before or after it)',
  })
  video_file!: unknown;

  @ApiPropertyOptional({
    example: 'campaign-42,draft',
    description: 'Comma-separated labels to filter the job list by',
  })
  labels?: string;
}

/** 202 of POST /api/v1/jobs/upload. */
export class UploadAcceptedDto {
  @ApiProperty({ format: 'uuid' }) job_id!: string;
  @ApiProperty({ enum: ['queued'] }) status!: 'queued';
}
