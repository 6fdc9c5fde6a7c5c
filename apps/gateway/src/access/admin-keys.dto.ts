import { Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { SCOPES, TENANT_ID_FORMAT } from './api-key';
import { MAX_ROTATION_GRACE_S } from './api-keys.service';

const MAX_BYTES = Number.MAX_SAFE_INTEGER;

/** Overrides of a key's rate limit and quotas; null (or absent) takes the deployment default. */
export class KeyLimitsDto {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  rate_limit_capacity?: number | null;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.000001)
  @Max(1_000_000)
  rate_limit_refill_per_s?: number | null;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_BYTES)
  quota_storage_bytes?: number | null;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  quota_jobs_per_day?: number | null;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  quota_concurrent_jobs?: number | null;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_BYTES)
  max_upload_bytes?: number | null;
}

/** POST /api/v1/admin/keys */
export class CreateKeyDto {
  /** Defaults to the caller's tenant; only a platform admin may name another. */
  @IsOptional()
  @IsString()
  @Matches(TENANT_ID_FORMAT, { message: 'tenant_id must be 1..128 of [A-Za-z0-9._-], starting with a letter or digit' })
  tenant_id?: string;

  @IsArray()
  @ArrayNotEmpty()
  @IsIn(SCOPES, { each: true, message: `scopes must be some of ${SCOPES.join(', ')}` })
  scopes!: string[];

  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string | null;

  /** Only a platform admin may make another. */
  @IsOptional()
  @IsBoolean()
  platform_admin?: boolean;

  @IsOptional()
  @ValidateNested()
  @Type(() => KeyLimitsDto)
  limits?: KeyLimitsDto;
}

/** POST /api/v1/admin/keys/:id/rotate */
export class RotateKeyDto {
  /** Seconds the old key keeps working (0, the default: revoked at once). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_ROTATION_GRACE_S)
  grace_period_s?: number;
}

/** GET /api/v1/admin/keys */
export class ListKeysQuery {
  @IsOptional()
  @IsString()
  tenant_id?: string;

  @IsOptional()
  @IsIn(['active', 'expiring', 'revoked'])
  state?: 'active' | 'expiring' | 'revoked';
}
