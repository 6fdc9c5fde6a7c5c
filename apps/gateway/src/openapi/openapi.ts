import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { RouteEntry, RouteTable } from '../access/route-table';
import { API_KEY_SCHEME } from './route-docs';
import { ApiErrorDto } from './schemas';

export const DOCS_PATH = 'docs';
export const API_PREFIX = '/api';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;
type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;

const errorRef = { $ref: `#/components/schemas/${ApiErrorDto.name}` };
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: errorRef } } });

/** The first path segment after /api/v1 (jobs, uploads, webhooks, admin...) or of the path (playback): the tag of a route nobody tagged. */
export function tagOf(path: string): string {
  const first = path.replace(/^\/api\/(v\d+\/)?/, '/').split('/')[1]?.replace(/[{}]/g, '');
  return !first || first === 'health' || first === 'metrics' ? 'ops' : first;
}

/** Express's `/a/:id` as OpenAPI's `/a/{id}`. */
export const openApiPath = (expressPath: string): string => expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/**
 * Fills in what a route's decorators may leave out, so that routes added without @nestjs/swagger
 * decorators are still described correctly: /api routes need the X-API-Key (401/403 answers,
 * tagged by their path), the others (/health, /metrics, /docs) are public.
 */
export function completeOperations(document: OpenAPIObject, routes: RouteEntry[] = []): OpenAPIObject {
  const scopes = new Map(routes.filter((r) => r.scope).map((r) => [`${r.method} ${openApiPath(r.path)}`, r.scope!]));
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const op = item[method] as Operation | undefined;
      if (!op) continue;
      const isApi = path === API_PREFIX || path.startsWith(`${API_PREFIX}/`);
      if (!op.tags?.length) op.tags = [tagOf(path)];
      if (!isApi) {
        op.security ??= [];
        continue;
      }
      if (!op.security?.length) op.security = [{ [API_KEY_SCHEME]: [] }];
      const scope = scopes.get(`${method.toUpperCase()} ${path}`);
      if (scope) {
        (op as Operation & { 'x-required-scope'?: string })['x-required-scope'] = scope;
        if (!op.summary?.includes('scope')) op.description = [`Scope: \`${scope}\`.`, op.description].filter(Boolean).join(' ');
      }
      op.responses ??= {};
      op.responses['401'] ??= errorResponse('MISSING_API_KEY, INVALID_API_KEY');
      op.responses['403'] ??= errorResponse('INSUFFICIENT_SCOPE');
      op.responses['429'] ??= errorResponse('RATE_LIMITED (Retry-After and RateLimit-* headers)');
      op.responses['500'] ??= errorResponse('INTERNAL');
    }
  }
  return document;
}

/** The routes Express really serves, with the scope each needs (admin/route-table.ts); none when it is not there. */
function routesOf(app: INestApplication): RouteEntry[] {
  try {
    return app.get(RouteTable, { strict: false }).routes();
  } catch {
    return [];
  }
}

/** The OpenAPI 3 description of every HTTP route of the app, from the controllers' metadata. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Transcode Flow API')
    .setDescription(
      [
        'Upload videos, follow their jobs and fetch the outputs.',
        '',
        'Every `/api` route needs an API key in the `X-API-Key` header; a key belongs to one tenant and',
        'only sees that tenant\'s jobs (another tenant\'s job answers 404 JOB_NOT_FOUND). Scopes: jobs:read,',
        'jobs:write, admin (admin implies the others).',
        '',
        'Errors are always `{"code", "message"}` with a stable UPPER_SNAKE code.',
        '',
        'The same operations exist in GraphQL at `/graphql` (subscriptions over graphql-ws at the same path,',
        'key in the connection params as `X-API-Key`).',
      ].join('\n'),
    )
    .setVersion('v1')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'tfk_… key (tflow keys create)' }, API_KEY_SCHEME)
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [ApiErrorDto],
    // Tags by path (jobs, uploads, webhooks, admin, playback, ops) unless a controller sets its own.
    autoTagControllers: false,
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
  return completeOperations(document, routesOf(app));
}

/** Swagger UI at /docs, the document at /docs-json (and /docs-yaml); both public. */
export function setupOpenApi(app: INestApplication): void {
  let document: OpenAPIObject | undefined;
  // Built on first request: by then every module has registered its controllers.
  SwaggerModule.setup(DOCS_PATH, app, () => (document ??= buildOpenApiDocument(app)), {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
    yamlDocumentUrl: `${DOCS_PATH}-yaml`,
    customSiteTitle: 'Transcode Flow API',
    swaggerOptions: { persistAuthorization: true },
  });
}
