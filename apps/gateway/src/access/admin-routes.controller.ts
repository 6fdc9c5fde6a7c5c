import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RequireScope } from './auth.decorators';
import { RouteEntry, RouteTable } from './route-table';

/** The routes this gateway serves and the scope each needs (what the authorization tests enumerate). */
@ApiTags('admin')
@Controller('api/v1/admin/routes')
@RequireScope('admin')
export class AdminRoutesController {
  constructor(private readonly table: RouteTable) {}

  @Get()
  list(): RouteEntry[] {
    return this.table.routes();
  }
}
