import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { send } from '../gateway/gateway-harness';
import { ApiStack, clientFor, sampleClip, startApiStack, waitForStatus } from './api-harness';

type Schema = {
  $ref?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  nullable?: boolean;
  type?: string;
};
type Operation = {
  security?: Record<string, string[]>[];
  responses: Record<string, unknown>;
  tags?: string[];
  'x-required-scope'?: string;
};
type OpenApi = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, Record<string, string>> };
};
type Route = { method: string; path: string; api: boolean };

const toOpenApiPath = (p: string) => p.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/** The property names of a schema (following $ref / allOf). */
function propertiesOf(doc: OpenApi, schema: Schema): Record<string, Schema> {
  if (schema.$ref) return propertiesOf(doc, doc.components.schemas[schema.$ref.split('/').pop()!]);
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((s) => propertiesOf(doc, s)));
  return schema.properties ?? {};
}

/** Every key of `value` is described and every described key is present, recursively (objects and arrays of objects). */
function mismatches(doc: OpenApi, schema: Schema, value: unknown, at = '$'): string[] {
  if (value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) {
    const items = schema.$ref ? undefined : schema.items;
    return items ? value.flatMap((v, i) => mismatches(doc, items, v, `${at}[${i}]`)) : [];
  }
  const props = propertiesOf(doc, schema);
  if (!Object.keys(props).length) return [];
  const out: string[] = [];
  for (const key of Object.keys(value)) if (!props[key]) out.push(`${at}.${key} is not in the schema`);
  for (const key of Object.keys(props)) {
    if (!(key in value)) out.push(`${at}.${key} is described but missing`);
    else out.push(...mismatches(doc, props[key], (value as Record<string, unknown>)[key], `${at}.${key}`));
  }
  return out;
}

// §8: the OpenAPI description is generated from the controllers; every route the running gateway
// serves under /api must be in it, so a route someone adds later fails here until it is described.
describe('OpenAPI', () => {
  let stack: ApiStack;
  let doc: OpenApi;
  let routes: Route[];

  beforeAll(async () => {
    stack = await startApiStack();
    const res = await send(`${stack.url}/docs-json`);
    expect(res.status).toBe(200);
    doc = res.json<OpenApi>();
    // What Express really serves, read from the running app's router (admin/route-table.ts).
    const table = await send(`${stack.url}/api/v1/admin/routes`, { headers: { 'X-API-Key': stack.bootstrapKey } });
    expect(table.status).toBe(200);
    routes = table.json<Route[]>();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('describes every /api route the gateway serves (method and path)', () => {
    const api = routes.filter((r) => r.api);
    expect(api.length).toBeGreaterThan(5);
    const described = new Set(
      Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`)),
    );
    const missing = api
      .filter((r) => !described.has(`${r.method} ${toOpenApiPath(r.path)}`))
      .map((r) => `${r.method} ${r.path}`);
    expect(missing).toEqual([]);
    // And nothing is described that is not served.
    const served = new Set(routes.map((r) => `${r.method} ${toOpenApiPath(r.path)}`));
    expect([...described].filter((d) => !served.has(d))).toEqual([]);
  });

  it('is OpenAPI 3 with the X-API-Key scheme on every /api operation and none on the public ones', () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes['api-key']).toEqual(
      expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-API-Key' }),
    );
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        if (path.startsWith('/api/')) {
          expect({ where, security: op.security }).toEqual({ where, security: [{ 'api-key': [] }] });
          // Any valid key may call an 'authenticated' route, so only those have no 403.
          const refusals = op['x-required-scope'] === 'authenticated' ? ['401'] : ['401', '403'];
          expect({ where, responses: Object.keys(op.responses) }).toEqual({
            where,
            responses: expect.arrayContaining(refusals),
          });
          if (op['x-required-scope'] === 'authenticated') expect(Object.keys(op.responses)).not.toContain('403');
        } else expect({ where, security: op.security ?? [] }).toEqual({ where, security: [] });
      }
    }
  });

  it('is the document the client is generated from (libs/client/openapi.json, built without a server)', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '../../libs/client/openapi.json'), 'utf8')) as OpenApi;
    expect(doc).toEqual(committed);
  });

  it('serves Swagger UI at /docs, publicly', async () => {
    const res = await send(`${stack.url}/docs`);
    expect(res.status).toBe(200);
    expect(res.body).toContain('swagger-ui');
    expect((await send(`${stack.url}/docs-yaml`)).body).toContain('openapi:');
  });

  it('describes the job, list and error answers as the API really gives them', async () => {
    const client = clientFor(stack.url, stack.bootstrapKey);
    const { job_id } = await client.uploadFile(await sampleClip('openapi.mp4'), {
      targetResolutions: ['360p'],
      enableHls: false,
      enableTranscription: false,
    });
    const job = await waitForStatus(client, job_id, ['completed', 'failed']);
    expect(job.status).toBe('completed');

    const schemaOf = (path: string, method: string, status: string) =>
      (doc.paths[path][method].responses[status] as { content: Record<string, { schema: Schema }> }).content[
        'application/json'
      ].schema;
    expect(mismatches(doc, schemaOf('/api/v1/jobs/{id}', 'get', '200'), job)).toEqual([]);
    expect(mismatches(doc, schemaOf('/api/v1/jobs', 'get', '200'), await client.listJobs({ limit: 3 }))).toEqual([]);
    const notFound = await send(`${stack.url}/api/v1/jobs/${randomUUID()}`, {
      headers: { 'X-API-Key': stack.bootstrapKey },
    });
    expect(notFound.status).toBe(404);
    expect(mismatches(doc, schemaOf('/api/v1/jobs/{id}', 'get', '404'), notFound.json())).toEqual([]);
  });
});
