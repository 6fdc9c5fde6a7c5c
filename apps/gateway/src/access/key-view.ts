import { ApiProperty } from '@nestjs/swagger';
import { KeyState, SCOPES, keyState } from './api-key';
import type { ApiKeyEntity } from './api-key.entity';
import { limitsOf } from './api-keys.repository';
import type { KeyLimits } from '../limits/key-limits';

const KEY_STATES: readonly KeyState[] = ['active', 'expiring', 'revoked'];
const nullableNumber = (description: string) => ApiProperty({ type: Number, nullable: true, description });

/** A key's overrides as the admin API shows them: null takes the deployment default. */
export class KeyLimitsViewDto implements KeyLimits {
  @nullableNumber('Token bucket size') rate_limit_capacity!: number | null;
  @nullableNumber('Tokens per second') rate_limit_refill_per_s!: number | null;
  @nullableNumber('Bytes the tenant may keep') quota_storage_bytes!: number | null;
  @nullableNumber('Jobs per UTC day') quota_jobs_per_day!: number | null;
  @nullableNumber('Jobs queued or processing at once') quota_concurrent_jobs!: number | null;
  @nullableNumber('Largest upload in bytes') max_upload_bytes!: number | null;
}

/** A key as the admin API shows it: never the key, never its hash. */
export class KeyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: "The key's first characters, enough to recognise it" }) prefix!: string;
  @ApiProperty() tenant_id!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ enum: SCOPES, isArray: true }) scopes!: string[];
  @ApiProperty() platform_admin!: boolean;
  @ApiProperty({ enum: KEY_STATES }) state!: KeyState;
  @ApiProperty({ type: KeyLimitsViewDto, description: 'Overrides (null: the deployment default)' })
  limits!: KeyLimitsViewDto;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When it stopped (or, rotated with a grace period, stops) working',
  })
  revoked_at!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The key that replaced it in a rotation' })
  replaced_by!: string | null;
}

/** The answer to create: the key itself, shown this once. */
export class CreatedKeyDto extends KeyDto {
  @ApiProperty({ example: 'tfk_…', description: 'The key, shown this once' }) key!: string;
}

/** The answer to rotate: the new key (shown once) and the old one, now revoked or expiring. */
export class RotatedKeyDto extends CreatedKeyDto {
  @ApiProperty({ type: KeyDto, description: 'The old key, now revoked or expiring' }) replaced!: KeyDto;
}

export function toKeyView(row: ApiKeyEntity, now: Date = new Date()): KeyDto {
  return {
    id: row.id,
    prefix: row.prefix,
    tenant_id: row.tenantId,
    name: row.name,
    scopes: row.scopes,
    platform_admin: row.platformAdmin,
    state: keyState(row.revokedAt, now),
    limits: limitsOf(row),
    created_at: row.createdAt.toISOString(),
    revoked_at: row.revokedAt?.toISOString() ?? null,
    replaced_by: row.replacedBy,
  };
}
