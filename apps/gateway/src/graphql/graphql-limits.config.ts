import { numberFrom } from '../limits/limits.config';

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

export function graphqlLimitsConfig(env: NodeJS.ProcessEnv = process.env): GraphqlLimits {
  const int = (name: string, fallback: number): number => numberFrom(env, name, { integer: true, min: 1 }) ?? fallback;
  return {
    maxDocumentBytes: int('TF_GRAPHQL_MAX_DOCUMENT_BYTES', 16_384),
    maxTokens: int('TF_GRAPHQL_MAX_TOKENS', 1000),
    maxDepth: int('TF_GRAPHQL_MAX_DEPTH', 8),
    maxAliases: int('TF_GRAPHQL_MAX_ALIASES', 15),
    maxDirectives: int('TF_GRAPHQL_MAX_DIRECTIVES', 20),
    maxCost: int('TF_GRAPHQL_MAX_COST', 10_000),
    costPerToken: int('TF_GRAPHQL_COST_PER_TOKEN', 100),
  };
}
