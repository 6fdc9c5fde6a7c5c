import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { SCOPES, TENANT_ID_FORMAT } from './api-key';
import { MAX_ROTATION_GRACE_S } from './api-keys.service';

const MAX_BYTES = Number.MAX_SAFE_INTEGER;

/** Overrides of a key's rate limit and quotas; null (or absent) takes the deployment default. */
export class KeyLimitsDto {
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 1,
    maximum: 1_000_000,
    description: 'Token bucket size',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  rate_limit_capacity?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 0.000001,
    maximum: 1_000_000,
    description: 'Tokens per second',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.000001)
  @Max(1_000_000)
  rate_limit_refill_per_s?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, description: 'Bytes the tenant may keep' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_BYTES)
  quota_storage_bytes?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 0,
    maximum: 10_000_000,
    description: 'Jobs per UTC day',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  quota_jobs_per_day?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 0,
    maximum: 1_000_000,
    description: 'Jobs queued or processing at once',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  quota_concurrent_jobs?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, description: 'Largest upload in bytes' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_BYTES)
  max_upload_bytes?: number | null;
}

/** POST /api/v1/admin/keys */
export class CreateKeyDto {
  @ApiPropertyOptional({ description: "Defaults to the caller's tenant; only a platform admin may name another" })
  @IsOptional()
  @IsString()
  @Matches(TENANT_ID_FORMAT, { message: 'tenant_id must be 1..128 of [A-Za-z0-9._-], starting with a letter or digit' })
  tenant_id?: string;

  @ApiProperty({ enum: SCOPES, isArray: true })
  @IsArray()
  @ArrayNotEmpty()
  @IsIn(SCOPES, { each: true, message: `scopes must be some of ${SCOPES.join(', ')}` })
  scopes!: string[];

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string | null;

  @ApiPropertyOptional({ description: 'Only a platform admin may make another' })
  @IsOptional()
  @IsBoolean()
  platform_admin?: boolean;

  @ApiPropertyOptional({ type: KeyLimitsDto, description: 'Overrides; absent or null: the deployment default' })
  @IsOptional()
  @ValidateNested()
  @Type(() => KeyLimitsDto)
  limits?: KeyLimitsDto;
}

/** POST /api/v1/admin/keys/:id/rotate */
export class RotateKeyDto {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_ROTATION_GRACE_S,
    default: 0,
    description: 'Seconds the old key keeps working (0: revoked at once)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_ROTATION_GRACE_S)
  grace_period_s?: number;
}

/** GET /api/v1/admin/keys */
export class ListKeysQuery {
  @ApiPropertyOptional({ description: "A platform admin: only this tenant's keys" })
  @IsOptional()
  @IsString()
  tenant_id?: string;

  @ApiPropertyOptional({ enum: ['active', 'expiring', 'revoked'] })
  @IsOptional()
  @IsIn(['active', 'expiring', 'revoked'])
  state?: 'active' | 'expiring' | 'revoked';
}
