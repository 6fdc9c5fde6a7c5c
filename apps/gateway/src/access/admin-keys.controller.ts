import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponse } from '../http/dto/api-error.dto';
import type { AuthenticatedKey } from './api-keys.service';
import { CurrentKey, RequireScope } from './auth.decorators';
import { AdminKeysService } from './admin-keys.service';
import { CreateKeyDto, ListKeysQuery, RotateKeyDto } from './admin-keys.dto';
import { CreatedKeyDto, KeyDto, RotatedKeyDto } from './key-view';

const keyIdParam = ApiParam({ name: 'id', format: 'uuid', description: "the key's id" });

/** API keys of the caller's tenant (every tenant for a platform admin); see AdminKeysService for the rules. */
@ApiTags('admin')
@Controller('api/v1/admin/keys')
@RequireScope('admin')
export class AdminKeysController {
  constructor(private readonly admin: AdminKeysService) {}

  /** 201 with the key, shown this once. */
  @Post()
  @ApiOperation({ summary: 'Create an API key; the answer shows it this once (scope admin)' })
  @ApiResponse({ status: 201, type: CreatedKeyDto })
  @ApiErrorResponse(400, 'VALIDATION_FAILED')
  @ApiErrorResponse(403, 'INSUFFICIENT_SCOPE, TENANT_FORBIDDEN, PLATFORM_ADMIN_REQUIRED, LIMIT_ABOVE_OWN')
  @HttpCode(HttpStatus.CREATED)
  create(@CurrentKey() caller: AuthenticatedKey, @Body() dto: CreateKeyDto): Promise<CreatedKeyDto> {
    return this.admin.create(caller, dto);
  }

  @Get()
  @ApiOperation({ summary: "The API keys of the caller's tenant (every tenant's for a platform admin) (scope admin)" })
  @ApiResponse({ status: 200, type: [KeyDto] })
  @ApiErrorResponse(400, 'VALIDATION_FAILED')
  list(@CurrentKey() caller: AuthenticatedKey, @Query() query: ListKeysQuery): Promise<KeyDto[]> {
    return this.admin.list(caller, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'An API key (scope admin)' })
  @keyIdParam
  @ApiResponse({ status: 200, type: KeyDto })
  @ApiErrorResponse(404, 'KEY_NOT_FOUND')
  get(@CurrentKey() caller: AuthenticatedKey, @Param('id') id: string): Promise<KeyDto> {
    return this.admin.get(caller, id);
  }

  /** 201 with the new key (shown once); the old one is revoked now or after grace_period_s. */
  @Post(':id/rotate')
  @ApiOperation({
    summary: 'Replace a key: the new one is shown once; the old one stops now or after grace_period_s (scope admin)',
  })
  @keyIdParam
  @ApiResponse({ status: 201, type: RotatedKeyDto })
  @ApiErrorResponse(400, 'VALIDATION_FAILED')
  @ApiErrorResponse(404, 'KEY_NOT_FOUND')
  @ApiErrorResponse(409, 'KEY_NOT_ACTIVE')
  @HttpCode(HttpStatus.CREATED)
  rotate(
    @CurrentKey() caller: AuthenticatedKey,
    @Param('id') id: string,
    @Body() dto: RotateKeyDto,
  ): Promise<RotatedKeyDto> {
    return this.admin.rotate(caller, id, dto.grace_period_s ?? 0);
  }

  @Post(':id/revoke')
  @ApiOperation({ summary: 'Revoke a key at once (scope admin)' })
  @keyIdParam
  @ApiResponse({ status: 200, type: KeyDto })
  @ApiErrorResponse(404, 'KEY_NOT_FOUND')
  @HttpCode(HttpStatus.OK)
  revoke(@CurrentKey() caller: AuthenticatedKey, @Param('id') id: string): Promise<KeyDto> {
    return this.admin.revoke(caller, id);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Revoke a key at once, like POST …/revoke (scope admin)' })
  @keyIdParam
  @ApiResponse({ status: 200, type: KeyDto })
  @ApiErrorResponse(404, 'KEY_NOT_FOUND')
  @HttpCode(HttpStatus.OK)
  remove(@CurrentKey() caller: AuthenticatedKey, @Param('id') id: string): Promise<KeyDto> {
    return this.admin.revoke(caller, id);
  }
}
