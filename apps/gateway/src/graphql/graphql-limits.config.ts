import { EnvInt, readEnv } from '@tf/config';

/**
 * What one GraphQL operation may ask for (TF_GRAPHQL_*), read and validated like the rest of the
 * limits. The defaults admit every query of the README and GraphiQL's introspection (163 tokens,
 * depth ignored for __schema) and refuse the amplification shapes: many aliases, deep nesting,
 * large pages multiplied by large selections.
 */
export interface GraphqlLimits {
  /** Bytes of the document (`query`), checked before anything reads it. */
  maxDocumentBytes: number;
  /** Lexical tokens of the document, counted before it is parsed. */
  maxTokens: number;
  /** Nesting of selections (fragments included); introspection's __schema is not counted. */
  maxDepth: number;
  /** Aliased fields in an operation (__typename included). */
  maxAliases: number;
  /** Directives in an operation. */
  maxDirectives: number;
  /** Cost of an operation (operation-cost.ts): one per field, a list field's children times its `first`. */
  maxCost: number;
  /** Cost units one rate limit token pays for: an operation takes ceil(cost / costPerToken) tokens (at least one). */
  costPerToken: number;
}

export const GRAPHQL_LIMITS = Symbol('GRAPHQL_LIMITS');

/** TF_GRAPHQL_*: whole numbers of at least 1. */
class GraphqlLimitsEnv {
  @EnvInt({ min: 1 }) TF_GRAPHQL_MAX_DOCUMENT_BYTES = 16_384;
  @EnvInt({ min: 1 }) TF_GRAPHQL_MAX_TOKENS = 1000;
  @EnvInt({ min: 1 }) TF_GRAPHQL_MAX_DEPTH = 8;
  @EnvInt({ min: 1 }) TF_GRAPHQL_MAX_ALIASES = 15;
  @EnvInt({ min: 1 }) TF_GRAPHQL_MAX_DIRECTIVES = 20;
  @EnvInt({ min: 1 }) TF_GRAPHQL_MAX_COST = 10_000;
  @EnvInt({ min: 1 }) TF_GRAPHQL_COST_PER_TOKEN = 100;
}

export function graphqlLimitsConfig(env: NodeJS.ProcessEnv = process.env): GraphqlLimits {
  const read = readEnv(GraphqlLimitsEnv, env);
  return {
    maxDocumentBytes: read.TF_GRAPHQL_MAX_DOCUMENT_BYTES,
    maxTokens: read.TF_GRAPHQL_MAX_TOKENS,
    maxDepth: read.TF_GRAPHQL_MAX_DEPTH,
    maxAliases: read.TF_GRAPHQL_MAX_ALIASES,
    maxDirectives: read.TF_GRAPHQL_MAX_DIRECTIVES,
    maxCost: read.TF_GRAPHQL_MAX_COST,
    costPerToken: read.TF_GRAPHQL_COST_PER_TOKEN,
  };
}
