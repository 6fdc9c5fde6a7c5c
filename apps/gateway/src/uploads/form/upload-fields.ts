import type { JobSpec } from '@tf/contracts';
import type { EgressPolicy } from '@tf/egress';
import { parseResolutions } from '@tf/media';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { validationFailure } from '../../http/api-validation.pipe';
import { assertKnownFields } from '../../http/known-fields';
import { parseLabels } from '../../jobs/job-labels';
import { assertWebhookUrlAllowed } from '../../webhooks/webhook-url-policy';
import { JobFieldsText, UploadFieldsDto } from './upload-fields.dto';

/** The job request of an upload: the JobSpec without the tenant (that comes from the API key). */
export type JobRequest = Omit<JobSpec, 'tenant_id'>;

const DEFAULT_RESOLUTIONS = '360p,720p';

/** The job fields (a form upload and a direct upload's JSON both carry them). */
const JOB_FIELDS = [
  'target_resolutions',
  'enable_hls',
  'enable_transcription',
  'webhook_url',
  'priority',
  'language',
] as const;
/** Every text field of an upload form; any other answers 400 UNKNOWN_FIELD (a typo must not fall back to a default). */
const UPLOAD_FORM_FIELDS: readonly string[] = [...JOB_FIELDS, 'labels'];

/**
 * The job request of validated job fields (JobFieldRules): the webhook URL checked against the
 * egress policy (WEBHOOK_URL_FORBIDDEN), the defaults filled in.
 */
export function jobRequestOf(values: JobFieldsText, egress: EgressPolicy): JobRequest {
  if (values.webhook_url) assertWebhookUrlAllowed(values.webhook_url, egress);
  const flag = (v: string | undefined) => v === undefined || v === 'true' || v === '1';
  return {
    target_resolutions: parseResolutions(values.target_resolutions ?? DEFAULT_RESOLUTIONS),
    enable_hls: flag(values.enable_hls),
    enable_transcription: flag(values.enable_transcription),
    webhook_url: values.webhook_url ?? null,
    priority: values.priority ?? 'normal',
    language: values.language ?? null,
  };
}

/**
 * Validates the text fields of an upload form (UploadFieldsDto's rules, as the multipart stream
 * delivers them: no body exists for the pipe to see) and fills in the defaults. Throws the ApiError of
 * the first bad field (UNKNOWN_RESOLUTION, INVALID_WEBHOOK_URL, WEBHOOK_URL_FORBIDDEN, INVALID_PRIORITY, ...).
 * Works on a partial form too: fields not (yet) sent take their defaults, so it can run as fields arrive.
 */
export function parseUploadFields(fields: Record<string, string>, egress: EgressPolicy): JobRequest {
  const values = plainToInstance(UploadFieldsDto, fields);
  const errors = validateSync(values, { stopAtFirstError: true });
  if (errors.length) throw validationFailure(errors);
  return jobRequestOf(values, egress);
}

/** The upload form: the job request and the job's labels (gateway-only: they stay out of the JobSpec). */
export interface UploadForm {
  request: JobRequest;
  labels: string[];
}

/** parseUploadFields plus `labels` (`a,b`; 400 INVALID_LABEL, see jobs/job-labels.ts); 400 UNKNOWN_FIELD for any other field. */
export function parseUploadForm(fields: Record<string, string>, egress: EgressPolicy): UploadForm {
  assertKnownFields(Object.keys(fields), UPLOAD_FORM_FIELDS);
  return { request: parseUploadFields(fields, egress), labels: parseLabels(fields.labels) };
}
