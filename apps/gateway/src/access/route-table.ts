import { RequestMethod } from '@nestjs/common';
import { MODULE_PATH, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { Injectable } from '@nestjs/common';
import { HttpAdapterHost, ModulesContainer, Reflector } from '@nestjs/core';
import type { RouteScope } from './api-key';
import { isApiPath } from './api-request-authenticator';
import { requiredScope } from './api-key.guard';

/** One HTTP route the app serves. */
export interface RouteEntry {
  method: string;
  /** Express path pattern, e.g. /api/v1/jobs/:id */
  path: string;
  /** Under /api: needs an API key. */
  api: boolean;
  /** The scope the ApiKeyGuard demands (null: not under /api, or no Nest handler found for the route). */
  scope: RouteScope | null;
  /** Controller#method serving it. */
  handler: string | null;
}

type Layer = { route?: { path?: string | string[]; methods?: Record<string, boolean> } };

const join = (...parts: (string | undefined)[]): string =>
  `/${parts
    .filter((p): p is string => !!p)
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`;
const asList = (v: string | string[] | undefined): string[] => (Array.isArray(v) ? v : [v ?? '']);

/**
 * Every route the running app serves, from Express's router (what is really mounted), each with the
 * scope its Nest handler requires (from the same metadata the guard reads). Tests enumerate the
 * /api routes from here, so a route added later is covered without anyone listing it.
 */
@Injectable()
export class RouteTable {
  constructor(
    private readonly modules: ModulesContainer,
    private readonly adapterHost: HttpAdapterHost,
    private readonly reflector: Reflector,
  ) {}

  routes(): RouteEntry[] {
    const handlers = this.handlers();
    const instance = this.adapterHost.httpAdapter?.getInstance() as
      { router?: { stack?: Layer[] }; _router?: { stack?: Layer[] } } | undefined;
    const stack = instance?.router?.stack ?? instance?._router?.stack ?? [];
    const out: RouteEntry[] = [];
    const seen = new Set<string>();
    for (const layer of stack) {
      if (!layer.route) continue;
      for (const path of asList(layer.route.path)) {
        for (const [m, on] of Object.entries(layer.route.methods ?? {})) {
          if (!on) continue;
          const method = m === '_all' ? 'ALL' : m.toUpperCase();
          const id = `${method} ${path}`;
          if (seen.has(id)) continue;
          seen.add(id);
          const h = handlers.get(id) ?? handlers.get(`ALL ${path}`);
          const api = isApiPath(path);
          out.push({ method, path, api, scope: api ? (h?.scope ?? null) : null, handler: h?.name ?? null });
        }
      }
    }
    return out.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  }

  /** "METHOD /path" → the Nest handler's scope and name, from controller metadata. */
  private handlers(): Map<string, { scope: RouteScope; name: string }> {
    const out = new Map<string, { scope: RouteScope; name: string }>();
    for (const module of this.modules.values()) {
      const modulePath = Reflect.getMetadata(MODULE_PATH, module.metatype) as string | undefined;
      for (const wrapper of module.controllers.values()) {
        const controller = wrapper.metatype as (new (...args: unknown[]) => object) | null;
        if (!controller?.prototype) continue;
        const controllerPaths = asList(Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined);
        for (const key of Object.getOwnPropertyNames(controller.prototype)) {
          if (key === 'constructor') continue;
          const handler = (controller.prototype as Record<string, unknown>)[key];
          if (typeof handler !== 'function') continue;
          const methodPath = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
          const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
          if (methodPath === undefined || requestMethod === undefined) continue;
          const method = RequestMethod[requestMethod];
          const scope = requiredScope(this.reflector, handler, controller);
          for (const cp of controllerPaths) {
            for (const mp of asList(methodPath))
              out.set(`${method} ${join(modulePath, cp, mp)}`, { scope, name: `${controller.name}#${key}` });
          }
        }
      }
    }
    return out;
  }
}
