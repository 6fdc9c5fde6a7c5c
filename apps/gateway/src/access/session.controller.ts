import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedKey } from './api-keys.service';
import { CurrentKey, RequireValidKey } from './auth.decorators';
import { SessionDto } from './dto/session.dto';

/** The caller's own key: a sign-in check for the web console (a revoked or unknown key answers 401). */
@ApiTags('session')
@Controller('api/v1/session')
export class SessionController {
  @Get()
  @ApiOperation({ summary: "The caller's key: its tenant and scopes (any valid key, whatever its scopes)" })
  @ApiOkResponse({ type: SessionDto })
  @RequireValidKey()
  get(@CurrentKey() key: AuthenticatedKey): SessionDto {
    return {
      key_id: key.id,
      key_prefix: key.prefix ?? null,
      tenant_id: key.tenantId,
      scopes: key.scopes,
      platform_admin: key.platformAdmin ?? false,
    };
  }
}
