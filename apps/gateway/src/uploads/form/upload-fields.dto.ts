import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { parseResolutions } from '@tf/media';
import { Transform } from 'class-transformer';
import {
  IsBooleanString,
  IsIn,
  IsISO6391,
  IsOptional,
  IsString,
  IsUrl,
  Validate,
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { apiCode as code } from '../../http/api-validation.pipe';
import { parseLabels } from '../../jobs/job-labels';

const PRIORITIES = ['high', 'normal', 'low'] as const;

@ValidatorConstraint({ name: 'knownResolutions' })
class KnownResolutions implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    try {
      return typeof value === 'string' && parseResolutions(value).length > 0;
    } catch {
      return false;
    }
  }

  defaultMessage(args: ValidationArguments): string {
    try {
      parseResolutions(String(args.value));
      return 'target_resolutions names no resolution';
    } catch (e) {
      return (e as Error).message;
    }
  }
}

@ValidatorConstraint({ name: 'jobLabels' })
class JobLabels implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    try {
      parseLabels(String(value));
      return true;
    } catch {
      return false;
    }
  }

  defaultMessage(args: ValidationArguments): string {
    try {
      parseLabels(String(args.value));
      return 'labels are invalid';
    } catch (e) {
      return (e as Error).message;
    }
  }
}

/**
 * A job field as the form's text: a JSON list joins with commas, other JSON values become their text
 * (so a direct upload's `enable_hls: false` and a form's `enable_hls=false` meet the same rules);
 * trimmed; blank is absent, as an empty optional input of an HTML form is.
 */
function asFieldText(value: unknown, lowercase: boolean): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = (
    Array.isArray(value)
      ? value.map(String).join(',')
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value)
  ).trim();
  if (!text) return undefined;
  return lowercase ? text.toLowerCase() : text;
}

const fieldText = (lowercase = false) => Transform(({ value }) => asFieldText(value, lowercase), { toClassOnly: true });

/**
 * The rules of each job field, shared by the form upload (UploadFieldsDto) and the direct upload's
 * JSON body (CreateUploadDto): each constraint carries the code the API answers with.
 */
export const JobFieldRules = {
  target_resolutions: () =>
    applyDecorators(fieldText(), IsOptional(), IsString(), Validate(KnownResolutions, code('UNKNOWN_RESOLUTION'))),
  flag: (name: string) =>
    applyDecorators(
      fieldText(true),
      IsOptional(),
      IsBooleanString({ ...code('INVALID_BOOLEAN'), message: `${name} must be true or false` }),
    ),
  webhook_url: () =>
    applyDecorators(
      fieldText(),
      IsOptional(),
      IsUrl(
        { protocols: ['http', 'https'], require_protocol: true, require_valid_protocol: true, require_tld: false },
        { ...code('INVALID_WEBHOOK_URL'), message: 'webhook_url must be an http(s) URL' },
      ),
    ),
  priority: () =>
    applyDecorators(
      fieldText(true),
      IsOptional(),
      IsIn(PRIORITIES, { ...code('INVALID_PRIORITY'), message: `priority must be one of ${PRIORITIES.join(', ')}` }),
    ),
  language: () =>
    applyDecorators(
      fieldText(true),
      IsOptional(),
      IsISO6391({ ...code('INVALID_LANGUAGE'), message: 'language must be an ISO 639-1 code such as en or de' }),
    ),
  /** The job's labels (jobs/job-labels.ts: INVALID_LABEL); a JSON list reads as the form's `a,b`. */
  labels: () => applyDecorators(fieldText(), IsOptional(), IsString(), Validate(JobLabels, code('INVALID_LABEL'))),
};

/** The job fields once validated (text, as a form sends them; absent when blank). */
export interface JobFieldsText {
  target_resolutions?: string;
  enable_hls?: string;
  enable_transcription?: string;
  webhook_url?: string;
  priority?: string;
  language?: string;
}

/** The text fields of an upload form, as sent (strings). */
export class UploadFieldsDto implements JobFieldsText {
  @ApiPropertyOptional({ example: '360p,720p', default: '360p,720p', description: 'Comma-separated ladder labels' })
  @JobFieldRules.target_resolutions()
  target_resolutions?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'true' })
  @JobFieldRules.flag('enable_hls')
  enable_hls?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'true' })
  @JobFieldRules.flag('enable_transcription')
  enable_transcription?: string;

  @ApiPropertyOptional({ format: 'uri', description: 'http(s) URL the notifier POSTs completion or failure to' })
  @JobFieldRules.webhook_url()
  webhook_url?: string;

  @ApiPropertyOptional({ enum: PRIORITIES, default: 'normal' })
  @JobFieldRules.priority()
  priority?: string;

  @ApiPropertyOptional({ example: 'en', description: 'ISO 639-1 spoken-language hint; absent: detect' })
  @JobFieldRules.language()
  language?: string;
}
