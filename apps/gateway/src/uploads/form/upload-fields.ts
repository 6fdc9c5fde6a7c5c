import type { JobSpec } from '@tf/contracts';
import type { EgressPolicy } from '@tf/egress';
import { parseResolutions } from '@tf/media';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { validationFailure } from '../../http/api-validation.pipe';
import { assertKnownFields } from '../../http/known-fields';
import { parseLabels } from '../../jobs/job-labels';
import { assertWebhookUrlAllowed } from '../../webhooks/webhook-url-policy';
import { UploadFieldsDto } from './upload-fields.dto';

/** The job request of an upload: the JobSpec without the tenant (that comes from the API key). */
export type JobRequest = Omit<JobSpec, 'tenant_id'>;

const DEFAULT_RESOLUTIONS = '360p,720p';

/** Fields compared case-insensitively. */
const LOWERCASED = new Set(['enable_hls', 'enable_transcription', 'priority', 'language']);
/** The job fields (a form upload and a direct upload's JSON both carry them). */
export const JOB_FIELDS = ['target_resolutions', 'enable_hls', 'enable_transcription', 'webhook_url', 'priority', 'language'] as const;
const KNOWN = new Set<string>(JOB_FIELDS);
/** Every text field of an upload form; any other answers 400 UNKNOWN_FIELD (a typo must not fall back to a default). */
const UPLOAD_FORM_FIELDS: readonly string[] = [...JOB_FIELDS, 'labels'];

/** Trimmed known fields; a blank field counts as absent, as an empty optional input of an HTML form is. */
function normalize(fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(fields)) {
    if (!KNOWN.has(name)) continue;
    const value = raw.trim();
    if (value) out[name] = LOWERCASED.has(name) ? value.toLowerCase() : value;
  }
  return out;
}

/**
 * Validates the text fields of an upload form and fills in the defaults. Throws the ApiError of
 * the first bad field (UNKNOWN_RESOLUTION, INVALID_WEBHOOK_URL, WEBHOOK_URL_FORBIDDEN, INVALID_PRIORITY, ...).
 * Works on a partial form too: fields not (yet) sent take their defaults, so it can run as fields arrive.
 */
export function parseUploadFields(fields: Record<string, string>, egress: EgressPolicy): JobRequest {
  const values = normalize(fields);
  const errors = validateSync(plainToInstance(UploadFieldsDto, values), { stopAtFirstError: true });
  if (errors.length) throw validationFailure(errors);
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
