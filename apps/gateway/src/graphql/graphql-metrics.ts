import { metricsRegistry } from '@tf/observability';
import { Counter, Histogram } from 'prom-client';
import type { RefusalReason } from './operation-limits';

export type GraphqlTransport = 'http' | 'ws';

const refused = new Counter({
  name: 'tf_graphql_operations_refused_total',
  help: 'GraphQL operations refused before running, by reason (document_too_large, too_many_tokens, too_deep, too_many_aliases, too_many_directives, too_complex, subscription_over_http, unauthenticated, rate_limited) and transport.',
  labelNames: ['reason', 'transport'] as const,
  registers: [metricsRegistry],
});

const cost = new Histogram({
  name: 'tf_graphql_operation_cost',
  help: 'Cost of the GraphQL operations that passed the shape limits (one per field, list fields times first:), refused for cost or not.',
  labelNames: ['transport'] as const,
  buckets: [1, 10, 50, 100, 300, 1000, 3000, 10_000, 30_000, 100_000],
  registers: [metricsRegistry],
});

export const graphqlMetrics = {
  refused: (reason: RefusalReason, transport: GraphqlTransport): void => void refused.inc({ reason, transport }),
  cost: (value: number, transport: GraphqlTransport): void => cost.observe({ transport }, value),
};
