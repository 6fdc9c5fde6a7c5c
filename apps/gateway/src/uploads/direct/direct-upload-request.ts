import type { EgressPolicy } from '@tf/egress';
import { HttpStatus } from '@nestjs/common';
import { ApiError } from '../../http/api-error';
import { parseLabels } from '../../jobs/job-labels';
import { sourceContentType } from '../form/source-object';
import { JobRequest, jobRequestOf } from '../form/upload-fields';
import type { CreateUploadDto } from './dto/direct-upload.dto';

/** POST /api/v1/uploads, as the upload is recorded. */
export interface DirectUploadRequest {
  filename: string;
  /** The client's type, or one guessed from the extension when it sent none or a generic one. */
  contentType: string;
  bytes: number;
  fields: JobRequest;
  /** The job's labels (gateway-only, like the form upload's: they stay out of the JobSpec). */
  labels: string[];
}

/**
 * The direct upload a validated CreateUploadDto asks for: what depends on the caller and the
 * deployment rather than the body's shape. A declared size over `maxBytes` is refused here, before
 * any URL is handed out (413 UPLOAD_TOO_LARGE); the webhook URL must pass the egress policy.
 */
export function directUploadRequestOf(
  body: CreateUploadDto,
  maxBytes: number,
  egress: EgressPolicy,
): DirectUploadRequest {
  if (body.bytes > maxBytes)
    throw new ApiError(HttpStatus.PAYLOAD_TOO_LARGE, 'UPLOAD_TOO_LARGE', `The file exceeds ${maxBytes} bytes`);
  const fields = jobRequestOf(body, egress);
  return {
    filename: body.filename,
    contentType: sourceContentType(body.content_type?.toLowerCase() ?? '', body.filename),
    bytes: body.bytes,
    fields,
    labels: parseLabels(body.labels),
  };
}
