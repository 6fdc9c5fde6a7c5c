import { Controller, Get, Module, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Args, Field, ID, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { buildSchema } from 'graphql';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequireScope } from '../access/auth.decorators';
import { GatewayModule } from '../gateway.module';
import { GRAPHQL_RESOLVERS, printGraphqlSchema } from '../graphql/graphql-schema';
import { buildOpenApiDocument } from './openapi';

// Issue 9: a route added to a DTO-carrying controller appears in OpenAPI, the generated client and
// GraphQL with no other file edited. The probe below is all a developer writes: one DTO class, one
// controller (and a resolver where GraphQL exposes it). Nothing registers it anywhere else.

@ObjectType('Probe', { description: 'A test-only answer' })
class ProbeDto {
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) probe_id!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'How deep' })
  @Field(() => Number, { nullable: true })
  depth!: number | null;
}

@ApiTags('probes')
@Controller('api/v1/probes')
class ProbeController {
  @Get(':id')
  @ApiResponse({ status: 200, type: ProbeDto })
  @RequireScope('jobs:read')
  get(@Param('id') id: string): ProbeDto {
    return { probe_id: id, depth: null };
  }
}

@Resolver(() => ProbeDto)
class ProbeResolver {
  @Query(() => ProbeDto, { description: 'GET /api/v1/probes/{id}' })
  @RequireScope('jobs:read')
  probe(@Args('id', { type: () => ID }) id: string): ProbeDto {
    return { probe_id: id, depth: null };
  }
}

@Module({ imports: [GatewayModule], controllers: [ProbeController] })
class GatewayWithProbeModule {}

type Operation = {
  security?: unknown;
  tags?: string[];
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
  'x-required-scope'?: string;
};

describe('the API contract comes from DTO classes and controllers alone', () => {
  let doc: { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

  beforeAll(async () => {
    const app = await NestFactory.create(GatewayWithProbeModule, { preview: true, abortOnError: false, logger: false });
    doc = buildOpenApiDocument(app) as unknown as typeof doc;
    await app.close();
  });

  it('OpenAPI: the route with its answer, the key scheme, its scope and the refused-key answers', () => {
    const op = doc.paths['/api/v1/probes/{id}']?.get;
    expect(op).toBeDefined();
    expect(op.responses['200'].content?.['application/json'].schema).toEqual({ $ref: '#/components/schemas/ProbeDto' });
    expect(doc.components.schemas.ProbeDto).toEqual({
      type: 'object',
      properties: {
        probe_id: { type: 'string', format: 'uuid' },
        depth: { type: 'number', nullable: true, description: 'How deep' },
      },
      required: ['probe_id', 'depth'],
    });
    expect([op.security, op.tags, op['x-required-scope']]).toEqual([[{ 'api-key': [] }], ['probes'], 'jobs:read']);
    expect(Object.keys(op.responses).sort()).toEqual(['200', '401', '403', '429', '500']);
    expect(op.responses['401'].content?.['application/json'].schema).toEqual({
      $ref: '#/components/schemas/ApiErrorDto',
    });
    // The gateway's own routes are still there; its public ones need no key.
    expect(doc.paths['/api/v1/jobs/{id}'].get['x-required-scope']).toBe('jobs:read');
    expect(doc.paths['/health'].get.security).toBeUndefined();
  });

  it('the generated client: a typed path and the DTO as a type', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-api-contract-'));
    try {
      writeFileSync(join(dir, 'openapi.json'), JSON.stringify(doc));
      const root = join(__dirname, '../../../..');
      const types = execFileSync(
        process.execPath,
        ['-r', '@swc-node/register', 'scripts/gen-api-client.ts', '--types-of', join(dir, 'openapi.json')],
        { cwd: root, encoding: 'utf8' },
      );
      expect(types).toContain('"/api/v1/probes/{id}": {');
      expect(types).toMatch(
        /ProbeDto: \{\s+\/\*\* Format: uuid \*\/\s+probe_id: string;\s+\/\*\* @description How deep \*\/\s+depth: number \| null;\s+\};/,
      );
      expect(types).toMatch(/"application\/json": components\["schemas"\]\["ProbeDto"\];/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("GraphQL: the query and the type, beside the gateway's own", async () => {
    const sdl = await printGraphqlSchema([...GRAPHQL_RESOLVERS, ProbeResolver]);
    expect(sdl).toContain('type Probe {\n  depth: Float\n  probe_id: ID!\n}');
    const query = buildSchema(sdl).getQueryType()!.getFields();
    expect([String(query.probe.type), query.probe.args.map((a) => `${a.name}: ${String(a.type)}`)]).toEqual([
      'Probe!',
      ['id: ID!'],
    ]);
    expect(String(query.job.type)).toBe('Job');
  });
});
