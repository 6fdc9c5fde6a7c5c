import { AdminKeysController } from './admin-keys.controller';
import { AdminKeysService } from './admin-keys.service';
import { AdminRoutesController } from './admin-routes.controller';
import { RouteTable } from './route-table';

/** The admin API (/api/v1/admin): key management and the route table. */
export const adminControllers = [AdminKeysController, AdminRoutesController];
export const adminProviders = [AdminKeysService, RouteTable];
