import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Answer, jsonBody, probe } from '../gateway/auth-harness';
import { GatewayProcess, newBootstrapKey, startGateway } from '../gateway/gateway-harness';
import { GatewayDb } from '../jobs/jobs-harness';
import { rand, wsClient } from './api-harness';

/** Every key of this gateway (and every client address) gets 30 tokens that do not come back while the test runs. */
const CAPACITY = 30;
const NO_REFILL = '0.0001';

const aliases = (n: number, field: string): string =>
  `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;
/** The attack: 1,000 aliases of a full page of jobs. */
const AMPLIFICATION = aliases(1000, 'jobs(first: 100) { jobs { job_id status } }');
const TYPENAMES = aliases(5000, '__typename');
/** 15 fields per job, 100 jobs: cost 1 + 100 × 16 = 1601, 17 tokens at the default 100 per token. */
const COSTLY =
  '{ jobs(first: 100) { jobs { job_id status labels attempt created_at updated_at completed_at cancelled_at error { code message } source { filename bytes content_type } } } }';
const COSTLY_TOKENS = 17;

/** A source address of its own (any of 127.0.0.0/8), so that anonymous buckets of other tests are not touched. */
const freshAddress = (): string => `127.${randomInt(1, 250)}.${randomInt(1, 250)}.${randomInt(2, 250)}`;
const errorOf = (a: Answer): [number, string | undefined] => [
  a.status,
  a.json<{ errors?: { extensions?: { code?: string } }[] }>().errors?.[0]?.extensions?.code,
];
const stats = (ms: number[]) => {
  const sorted = [...ms].sort((x, y) => x - y);
  return {
    n: sorted.length,
    median_ms: Math.round(sorted[Math.floor(sorted.length / 2)]),
    max_ms: Math.round(sorted[sorted.length - 1]),
  };
};

// Issue 8 §2: the GraphQL limits (document size and tokens before parsing, depth/aliases/cost after),
// the rate limit charged by cost, anonymous requests limited per address; on a real gateway.
describe('GraphQL limits', () => {
  let gateway: GatewayProcess;
  let db: GatewayDb;
  const tenant = `gql-limits-${rand()}`;
  const newKey = () => db.createKey(tenant, ['jobs:read']);
  const post = (key: string | null, query: string, localAddress?: string) =>
    probe(`${gateway.url}/graphql`, { method: 'POST', key, localAddress, ...jsonBody({ query }) });

  beforeAll(async () => {
    [gateway, db] = await Promise.all([
      startGateway({
        TF_BOOTSTRAP_API_KEY: newBootstrapKey(),
        TF_RATE_LIMIT_CAPACITY: String(CAPACITY),
        TF_RATE_LIMIT_REFILL_PER_S: NO_REFILL,
      }),
      GatewayDb.open(),
    ]);
  });
  afterAll(async () => {
    await Promise.all([gateway?.stop(), db?.close()]);
  });

  it('refuses the amplification request and 5,000 __typename aliases with 4xx codes, with a key or without', async () => {
    const key = await newKey();
    expect(errorOf(await post(key, AMPLIFICATION))).toEqual([413, 'GRAPHQL_DOCUMENT_TOO_LARGE']);
    // Apollo also answers below /graphql: the same gate applies there.
    const below = await probe(`${gateway.url}/graphql/x`, {
      method: 'POST',
      key,
      ...jsonBody({ query: AMPLIFICATION }),
    });
    expect(errorOf(below)).toEqual([413, 'GRAPHQL_DOCUMENT_TOO_LARGE']);
    const anonymous = await post(null, TYPENAMES, freshAddress());
    expect(errorOf(anonymous)).toEqual([401, 'MISSING_API_KEY']);
    expect(anonymous.json()).not.toHaveProperty('data');
    expect(errorOf(await post(key, TYPENAMES))).toEqual([413, 'GRAPHQL_DOCUMENT_TOO_LARGE']);
    // Under the byte limit: the token count, then the shape and cost limits.
    expect(errorOf(await post(key, `{${' __typename'.repeat(1200)} }`))).toEqual([400, 'GRAPHQL_TOO_MANY_TOKENS']);
    expect(errorOf(await post(key, aliases(16, '__typename')))).toEqual([400, 'GRAPHQL_TOO_MANY_ALIASES']);
    expect(errorOf(await post(key, `{ ${'__typename @include(if: true) @skip(if: false) '.repeat(11)}}`))).toEqual([
      400,
      'GRAPHQL_TOO_MANY_DIRECTIVES',
    ]);
    const tooComplex = await post(
      key,
      aliases(15, 'jobs(first: 100) { jobs { job_id status labels attempt created_at updated_at completed_at } }'),
    );
    expect(errorOf(tooComplex)).toEqual([400, 'GRAPHQL_QUERY_TOO_COMPLEX']);
    expect(tooComplex.json<{ errors: { message: string }[] }>().errors[0].message).toContain('costs 12015');
    expect(errorOf(await post(key, aliases(15, '__typename')))[0]).toBe(200);
  });

  it('answers a subscription sent over HTTP (POST or GET) with 400 GRAPHQL_SUBSCRIPTION_OVER_HTTP', async () => {
    const key = await newKey();
    const subscription = 'subscription { jobProgress(id: "00000000-0000-0000-0000-000000000000") { type } }';
    expect(errorOf(await post(key, subscription))).toEqual([400, 'GRAPHQL_SUBSCRIPTION_OVER_HTTP']);
    const get = await probe(`${gateway.url}/graphql?query=${encodeURIComponent(subscription)}`, {
      key,
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(errorOf(get)).toEqual([400, 'GRAPHQL_SUBSCRIPTION_OVER_HTTP']);
    // A query over GET still runs.
    const query = await probe(`${gateway.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      key,
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect([query.status, query.json()]).toEqual([200, { data: { __typename: 'Query' } }]);
  });

  it('charges a key by cost: a costly allowed query takes its tokens, the next one is 429 RATE_LIMITED, a cheap one still passes', async () => {
    const key = await newKey();
    const first = await post(key, COSTLY);
    expect([first.status, first.json()]).toEqual([200, { data: { jobs: { jobs: [] } } }]);
    expect(first.headers['ratelimit-remaining']).toBe(String(CAPACITY - COSTLY_TOKENS));
    const second = await post(key, COSTLY);
    expect(errorOf(second)).toEqual([429, 'RATE_LIMITED']);
    expect(Number(second.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // The refused operation paid its request's token only.
    expect(second.headers['ratelimit-remaining']).toBe(String(CAPACITY - COSTLY_TOKENS - 1));
    const cheap = await post(key, '{ jobs(first: 1) { jobs { job_id } } }');
    expect([cheap.status, cheap.headers['ratelimit-remaining']]).toEqual([200, String(CAPACITY - COSTLY_TOKENS - 2)]);
  });

  it('over graphql-ws, refuses what HTTP refuses and charges an operation by its cost', async () => {
    const key = await newKey();
    const client = wsClient(gateway.url, { 'X-API-Key': key });
    const run = (query: string) =>
      new Promise<{ data: unknown[]; errors: unknown }>((resolve) => {
        const data: unknown[] = [];
        client.subscribe(
          { query },
          {
            next: (v) => data.push(v.data),
            error: (errors) => resolve({ data, errors }),
            complete: () => resolve({ data, errors: null }),
          },
        );
      });
    try {
      // Both on one connection (the client closes an idle socket at once).
      const [refused, costly] = await Promise.all([run(aliases(16, '__typename')), run(COSTLY)]);
      expect((refused.errors as { extensions?: { code?: string } }[]).map((e) => e.extensions?.code)).toEqual([
        'GRAPHQL_TOO_MANY_ALIASES',
      ]);
      expect(costly).toEqual({ data: [{ jobs: { jobs: [] } }], errors: null });
      // The socket's connection took 1 token, the refused operation 1, the costly one its 17 (its resolver's guard none), this request 1.
      const after = await post(key, '{ __typename }');
      expect([after.status, after.headers['ratelimit-remaining']]).toEqual([
        200,
        String(CAPACITY - 1 - 1 - COSTLY_TOKENS - 1),
      ]);
    } finally {
      await client.dispose();
    }
  });

  it('limits an unauthenticated flood per client address, and /health answers while the attack runs', async () => {
    const flooder = freshAddress();
    const keys = await Promise.all([newKey(), newKey(), newKey(), newKey()]);
    const idle: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      expect((await probe(`${gateway.url}/health`)).status).toBe(200);
      idle.push(performance.now() - t);
    }
    const health: number[] = [];
    let attacking = true;
    const healthProbe = (async () => {
      while (attacking) {
        const started = performance.now();
        const answer = await probe(`${gateway.url}/health`);
        health.push(performance.now() - started);
        expect(answer.status).toBe(200);
      }
    })();
    const started = performance.now();
    const [amplified, flood] = await Promise.all([
      // The four requests, each with a key.
      Promise.all(keys.map((key) => post(key, AMPLIFICATION))),
      // 40 requests without a key from one address: its bucket holds 30.
      Promise.all(Array.from({ length: CAPACITY + 10 }, () => post(null, TYPENAMES, flooder))),
    ]);
    const attackMs = performance.now() - started;
    attacking = false;
    await healthProbe;
    expect(amplified.map(errorOf)).toEqual(Array(4).fill([413, 'GRAPHQL_DOCUMENT_TOO_LARGE']));
    const statuses = flood.map(errorOf);
    expect(statuses.filter(([s, c]) => s === 401 && c === 'MISSING_API_KEY')).toHaveLength(CAPACITY);
    expect(statuses.filter(([s, c]) => s === 429 && c === 'RATE_LIMITED')).toHaveLength(10);
    expect(health.length).toBeGreaterThan(0);
    // Numbers for the report, not assertions.
    process.stdout.write(
      `graphql-limits: attack of ${4 + flood.length} requests answered in ${Math.round(attackMs)} ms; /health during it: ${JSON.stringify(stats(health))}, idle: ${JSON.stringify(stats(idle))}\n`,
    );

    const metrics = (await probe(`${gateway.url}/metrics`)).body;
    expect(metrics).toMatch(
      /tf_graphql_operations_refused_total\{reason="document_too_large",transport="http"[^}]*\} [1-9]/,
    );
    expect(metrics).toMatch(/tf_graphql_operations_refused_total\{reason="rate_limited",transport="http"[^}]*\} [1-9]/);
    expect(metrics).toMatch(
      /tf_graphql_operations_refused_total\{reason="too_many_aliases",transport="ws"[^}]*\} [1-9]/,
    );
    expect(metrics).toMatch(/tf_graphql_operation_cost_count\{[^}]*transport="http"[^}]*\} [1-9]/);
  });
});
