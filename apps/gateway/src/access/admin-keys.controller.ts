import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { AuthenticatedKey } from './api-keys.service';
import { CurrentKey, RequireScope } from './auth.decorators';
import { AdminKeysService } from './admin-keys.service';
import { CreateKeyDto, ListKeysQuery, RotateKeyDto } from './admin-keys.dto';
import { CreatedKeyView, KeyView, RotatedKeyView } from './key-view';

/** API keys of the caller's tenant (every tenant for a platform admin); see AdminKeysService for the rules. */
@ApiTags('admin')
@Controller('api/v1/admin/keys')
@RequireScope('admin')
export class AdminKeysController {
  constructor(private readonly admin: AdminKeysService) {}

  /** 201 with the key, shown this once. */
  @Post()
  @HttpCode(HttpStatus.CREATED)
  create(@CurrentKey() caller: AuthenticatedKey, @Body() dto: CreateKeyDto): Promise<CreatedKeyView> {
    return this.admin.create(caller, dto);
  }

  @Get()
  list(@CurrentKey() caller: AuthenticatedKey, @Query() query: ListKeysQuery): Promise<KeyView[]> {
    return this.admin.list(caller, query);
  }

  @Get(':id')
  get(@CurrentKey() caller: AuthenticatedKey, @Param('id') id: string): Promise<KeyView> {
    return this.admin.get(caller, id);
  }

  /** 201 with the new key (shown once); the old one is revoked now or after grace_period_s. */
  @Post(':id/rotate')
  @HttpCode(HttpStatus.CREATED)
  rotate(@CurrentKey() caller: AuthenticatedKey, @Param('id') id: string, @Body() dto: RotateKeyDto): Promise<RotatedKeyView> {
    return this.admin.rotate(caller, id, dto.grace_period_s ?? 0);
  }

  @Post(':id/revoke')
  @HttpCode(HttpStatus.OK)
  revoke(@CurrentKey() caller: AuthenticatedKey, @Param('id') id: string): Promise<KeyView> {
    return this.admin.revoke(caller, id);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.OK)
  remove(@CurrentKey() caller: AuthenticatedKey, @Param('id') id: string): Promise<KeyView> {
    return this.admin.revoke(caller, id);
  }
}
