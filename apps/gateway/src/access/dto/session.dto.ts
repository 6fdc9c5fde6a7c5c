import { ApiProperty } from '@nestjs/swagger';
import { SCOPES } from '../api-key';

/** GET /api/v1/session: who the caller's key is (what a console shows after sign-in). */
export class SessionDto {
  @ApiProperty({ format: 'uuid', description: "The key's id" })
  key_id!: string;

  @ApiProperty({
    description: 'The first characters of the key (tfk_…), as key listings show them',
    nullable: true,
    type: String,
  })
  key_prefix!: string | null;

  @ApiProperty({ description: 'The tenant the key belongs to: the only jobs it sees' })
  tenant_id!: string;

  @ApiProperty({ enum: SCOPES, isArray: true, description: 'admin implies the others' })
  scopes!: string[];

  @ApiProperty({ description: "May manage every tenant's keys and the operator's routes" })
  platform_admin!: boolean;
}
