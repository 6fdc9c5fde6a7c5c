import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { GraphQLSchema, getIntrospectionQuery, parse, validate } from 'graphql';
import { graphqlLimitsConfig } from './graphql-limits.config';
import { GRAPHQL_RESOLVERS } from './graphql-schema';
import {
  GraphqlRefusal,
  checkDocument,
  checkOperation,
  countTokens,
  refusalReason,
  tokensFor,
} from './operation-limits';

const limits = graphqlLimitsConfig({});

/** The gateway's own schema, built from its resolvers as the GraphQL module builds it. */
async function gatewaySchema(): Promise<GraphQLSchema> {
  const app = await NestFactory.create(GraphQLSchemaBuilderModule, { logger: false });
  await app.init();
  const schema = await app.get(GraphQLSchemaFactory).create(GRAPHQL_RESOLVERS);
  await app.close();
  return schema;
}

/** The refusal a check throws (its reason and API code), or null when it passes. */
function refusalOf(check: () => unknown): { reason: string; code: string; status: number } | null {
  try {
    check();
    return null;
  } catch (e) {
    if (!(e instanceof GraphqlRefusal)) throw e;
    return { reason: e.reason, code: e.code, status: e.getStatus() };
  }
}

const aliases = (n: number, field: string): string =>
  `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;
const JOB_ROW = 'job_id status labels attempt created_at updated_at completed_at';

describe('GraphQL limits config', () => {
  it('has defaults that admit introspection and a full page, and reads TF_GRAPHQL_*', () => {
    expect(limits).toEqual({
      maxDocumentBytes: 16_384,
      maxTokens: 1000,
      maxDepth: 8,
      maxAliases: 15,
      maxDirectives: 20,
      maxCost: 10_000,
      costPerToken: 100,
    });
    expect(
      graphqlLimitsConfig({ TF_GRAPHQL_MAX_COST: '50', TF_GRAPHQL_COST_PER_TOKEN: '5', TF_GRAPHQL_MAX_ALIASES: '' }),
    ).toMatchObject({ maxCost: 50, costPerToken: 5, maxAliases: 15 });
  });
  it.each([
    ['TF_GRAPHQL_MAX_COST', '0'],
    ['TF_GRAPHQL_MAX_TOKENS', '1.5'],
    ['TF_GRAPHQL_COST_PER_TOKEN', 'lots'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => graphqlLimitsConfig({ [name]: value })).toThrow(name);
  });
});

describe('GraphQL document checks (before parsing)', () => {
  it('counts tokens with the lexer, stopping past the limit', () => {
    expect(countTokens('{ jobs(first: 5) { next_cursor } }', 100)).toBe(11);
    expect(countTokens(' __typename'.repeat(100_000), 1000)).toBe(1001);
    expect(countTokens('{ a "unterminated', 100)).toBe(2);
  });
  it('refuses a document over the byte limit (413) before counting its tokens, and one over the token limit (400)', () => {
    expect(refusalOf(() => checkDocument('#'.repeat(16_385), limits))).toEqual({
      reason: 'document_too_large',
      code: 'GRAPHQL_DOCUMENT_TOO_LARGE',
      status: 413,
    });
    expect(refusalOf(() => checkDocument(`{${' __typename'.repeat(1000)}}`, limits))).toEqual({
      reason: 'too_many_tokens',
      code: 'GRAPHQL_TOO_MANY_TOKENS',
      status: 400,
    });
    expect(refusalOf(() => checkDocument(`{${' __typename'.repeat(998)}}`, limits))).toBeNull();
    expect(refusalOf(() => checkDocument(getIntrospectionQuery(), limits))).toBeNull();
  });
  it('refuses the amplification documents of the attack', () => {
    expect(refusalOf(() => checkDocument(aliases(1000, 'jobs(first: 100) { jobs { job_id } }'), limits))?.reason).toBe(
      'document_too_large',
    );
    expect(refusalOf(() => checkDocument(aliases(5000, '__typename'), limits))?.reason).toBe('document_too_large');
    // Under the byte limit, the token limit still holds.
    expect(
      refusalOf(() => checkDocument(aliases(1000, '__typename'), { ...limits, maxDocumentBytes: 1e6 }))?.reason,
    ).toBe('too_many_tokens');
  });
});

describe('GraphQL operation checks (after validation)', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await gatewaySchema();
  });
  const check = (query: string, variables?: Record<string, unknown>, l = limits) => {
    const document = parse(query);
    expect(validate(schema, document)).toEqual([]);
    return () => checkOperation({ schema, document, variables }, l);
  };

  it('costs one per field, a paged field its selection times first: (REST default 20, at most 100)', () => {
    expect(check('{ job(id: "x") { job_id status source { filename bytes } } }')()).toBe(1 + 2 + 3);
    expect(check('{ jobs(first: 100) { jobs { job_id status } } }')()).toBe(1 + 100 * 3);
    expect(check('{ jobs { next_cursor jobs { job_id status } } }')()).toBe(1 + 20 * 4);
    expect(check('{ jobs(first: 100000) { jobs { job_id } } }')()).toBe(1 + 100 * 2);
    expect(check('query($n: Int) { jobs(first: $n) { jobs { job_id } } }', { n: 50 })()).toBe(1 + 50 * 2);
    // Variables that do not coerce: execution refuses them before any resolver, the operation costs 1.
    expect(check('query($n: Int) { jobs(first: $n) { jobs { job_id } } }', { n: 'many' })()).toBe(1);
  });
  it("admits GraphiQL's introspection query (depth of __schema not counted)", () => {
    expect(check(getIntrospectionQuery())()).toBeLessThan(limits.maxCost);
  });
  it('refuses more aliases than allowed, __typename included', () => {
    expect(check(aliases(15, '__typename'))()).toBe(15);
    expect(refusalOf(check(aliases(16, '__typename')))).toEqual({
      reason: 'too_many_aliases',
      code: 'GRAPHQL_TOO_MANY_ALIASES',
      status: 400,
    });
    expect(refusalOf(check(aliases(16, 'job(id: "x") { job_id }')))?.reason).toBe('too_many_aliases');
  });
  it('refuses deep nesting, through fragments too', () => {
    // Depth counts fields down to the leaves. The schema nests at most 4 deep (introspection's own depth is capped by graphql-js): a lower limit shows the rule.
    const shallow = { ...limits, maxDepth: 3 };
    expect(check('{ job(id: "x") { source { filename } } }', undefined, shallow)()).toBe(3);
    expect(refusalOf(check('{ job(id: "x") { source { media { width } } } }', undefined, shallow))).toEqual({
      reason: 'too_deep',
      code: 'GRAPHQL_QUERY_TOO_DEEP',
      status: 400,
    });
    expect(
      refusalOf(check('{ job(id: "x") { ...S } } fragment S on Job { source { media { width } } }', undefined, shallow))
        ?.reason,
    ).toBe('too_deep');
  });
  it('refuses too many directives', () => {
    expect(check(`{ ${'__typename @include(if: true) @skip(if: false) '.repeat(10)}}`)()).toBe(10);
    expect(refusalOf(check(`{ ${'__typename @include(if: true) @skip(if: false) '.repeat(11)}}`))).toEqual({
      reason: 'too_many_directives',
      code: 'GRAPHQL_TOO_MANY_DIRECTIVES',
      status: 400,
    });
  });
  it('refuses an operation costing more than the limit, with its cost', () => {
    const costly = check(aliases(15, `jobs(first: 100) { jobs { ${JOB_ROW} } }`));
    const refusal = refusalOf(costly);
    expect(refusal).toEqual({ reason: 'too_complex', code: 'GRAPHQL_QUERY_TOO_COMPLEX', status: 400 });
    try {
      costly();
    } catch (e) {
      expect((e as GraphqlRefusal).cost).toBe(15 * (1 + 100 * 8));
    }
    expect(check(aliases(12, `jobs(first: 100) { jobs { ${JOB_ROW} } }`))()).toBe(12 * 801);
  });
  it("refuses a fragment fan-out past graphql-query-complexity's node limit", () => {
    // 20^4 spreads of one field: execution merges them, a naive cost count would walk 160,000 nodes.
    const spreads = (name: string, next: string) => `fragment ${name} on Query { ${`...${next} `.repeat(20)}}`;
    const query = `{ ...F0 } ${spreads('F0', 'F1')} ${spreads('F1', 'F2')} ${spreads('F2', 'F3')} ${spreads('F3', 'F4')} fragment F4 on Query { __typename }`;
    expect(refusalOf(check(query, undefined, { ...limits, maxDepth: 20 }))?.reason).toBe('too_complex');
  });
  it('takes a token per costPerToken units, at least one', () => {
    expect([tokensFor(1, limits), tokensFor(100, limits), tokensFor(101, limits), tokensFor(10_000, limits)]).toEqual([
      1, 1, 2, 100,
    ]);
  });
  it('names the reason of a refusal for the metrics; other errors are no refusal', () => {
    expect(refusalReason(new GraphqlRefusal('too_deep', 'x'))).toBe('too_deep');
    expect(refusalReason(new Error('boom'))).toBeNull();
  });
});
