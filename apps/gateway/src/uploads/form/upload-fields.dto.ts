import { ApiPropertyOptional } from '@nestjs/swagger';
import { parseResolutions } from '@tf/media';
import { apiCode as code } from '../../http/api-validation.pipe';
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

/**
 * The text fields of an upload form, as sent (strings; blank ones removed before validation).
 * Each constraint carries the code the API answers with.
 */
export class UploadFieldsDto {
  @ApiPropertyOptional({ example: '360p,720p', default: '360p,720p', description: 'Comma-separated ladder labels' })
  @IsOptional()
  @IsString()
  @Validate(KnownResolutions, code('UNKNOWN_RESOLUTION'))
  target_resolutions?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'true' })
  @IsOptional()
  @IsBooleanString({ ...code('INVALID_BOOLEAN'), message: 'enable_hls must be true or false' })
  enable_hls?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'true' })
  @IsOptional()
  @IsBooleanString({ ...code('INVALID_BOOLEAN'), message: 'enable_transcription must be true or false' })
  enable_transcription?: string;

  @ApiPropertyOptional({ format: 'uri', description: 'http(s) URL the notifier POSTs completion or failure to' })
  @IsOptional()
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_valid_protocol: true, require_tld: false },
    { ...code('INVALID_WEBHOOK_URL'), message: 'webhook_url must be an http(s) URL' },
  )
  webhook_url?: string;

  @ApiPropertyOptional({ enum: PRIORITIES, default: 'normal' })
  @IsOptional()
  @IsIn(PRIORITIES, { ...code('INVALID_PRIORITY'), message: `priority must be one of ${PRIORITIES.join(', ')}` })
  priority?: string;

  @ApiPropertyOptional({ example: 'en', description: 'ISO 639-1 spoken-language hint; absent: detect' })
  @IsOptional()
  @IsISO6391({ ...code('INVALID_LANGUAGE'), message: 'language must be an ISO 639-1 code such as en or de' })
  language?: string;
}
