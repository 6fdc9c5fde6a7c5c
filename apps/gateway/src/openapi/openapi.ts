import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { API_KEY_SCHEME } from '../access/auth.decorators';
import { ApiErrorDto } from '../http/dto/api-error.dto';

const DOCS_PATH = 'docs';

/**
 * The OpenAPI 3 description of every HTTP route of the app, from the controllers' decorators and the
 * DTO classes alone (nothing patches it afterwards): `@RequireScope` adds the key scheme, the scope
 * and the refused-key answers; each route's own decorators its body, answers and codes. The same
 * function writes libs/client/openapi.json (npm run gen:api-client) from a preview app.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Transcode Flow API')
    .setDescription(
      [
        'Upload videos, follow their jobs and fetch the outputs.',
        '',
        'Every `/api` route needs an API key in the `X-API-Key` header; a key belongs to one tenant and',
        "only sees that tenant's jobs (another tenant's job answers 404 JOB_NOT_FOUND). Scopes: jobs:read,",
        'jobs:write, admin (admin implies the others). Each operation names its scope in `x-required-scope` (`authenticated`: any valid key).',
        '',
        'Errors are always `{"code", "message"}` with a stable UPPER_SNAKE code.',
        '',
        'The same operations exist in GraphQL at `/graphql` (subscriptions over graphql-ws at the same path,',
        'key in the connection params as `X-API-Key`).',
      ].join('\n'),
    )
    .setVersion('v1')
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'tfk_… key (tflow keys create)' },
      API_KEY_SCHEME,
    )
    .build();
  return SwaggerModule.createDocument(app, config, {
    extraModels: [ApiErrorDto],
    // Each controller names its tag (jobs, uploads, webhooks, admin, playback); /health and /metrics have none.
    autoTagControllers: false,
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
}

/** Swagger UI at /docs (offline: nothing from another origin), the document at /docs-json (and /docs-yaml); both public. */
export function setupOpenApi(app: INestApplication): void {
  let document: OpenAPIObject | undefined;
  // Built on first request: by then every module has registered its controllers.
  SwaggerModule.setup(DOCS_PATH, app, () => (document ??= buildOpenApiDocument(app)), {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
    yamlDocumentUrl: `${DOCS_PATH}-yaml`,
    customSiteTitle: 'Transcode Flow API',
    // Its assets come from swagger-ui-dist through this process (test/console/offline-explorers.e2e-spec.ts).
    swaggerOptions: { persistAuthorization: true },
  });
}
