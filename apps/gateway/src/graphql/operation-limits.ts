import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { HttpStatus } from '@nestjs/common';
import {
  DocumentNode,
  GraphQLError,
  GraphQLSchema,
  Lexer,
  Source,
  TokenKind,
  ValidationRule,
  getOperationAST,
  getVariableValues,
  validate,
} from 'graphql';
import {
  ComplexityEstimatorArgs,
  fieldExtensionsEstimator,
  getComplexity,
  simpleEstimator,
} from 'graphql-query-complexity';
import { ApiError } from '../http/api-error';
import { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT } from '../jobs/job-list-query';
import type { GraphqlLimits } from './graphql-limits.config';

/** Why an operation was refused before it ran (the label of tf_graphql_operations_refused_total). */
export type RefusalReason =
  | 'document_too_large'
  | 'too_many_tokens'
  | 'too_deep'
  | 'too_many_aliases'
  | 'too_many_directives'
  | 'too_complex'
  | 'subscription_over_http'
  | 'unauthenticated'
  | 'rate_limited';

const ANSWERS: Record<
  Exclude<RefusalReason, 'unauthenticated' | 'rate_limited'>,
  { status: HttpStatus; code: string }
> = {
  document_too_large: { status: HttpStatus.PAYLOAD_TOO_LARGE, code: 'GRAPHQL_DOCUMENT_TOO_LARGE' },
  too_many_tokens: { status: HttpStatus.BAD_REQUEST, code: 'GRAPHQL_TOO_MANY_TOKENS' },
  too_deep: { status: HttpStatus.BAD_REQUEST, code: 'GRAPHQL_QUERY_TOO_DEEP' },
  too_many_aliases: { status: HttpStatus.BAD_REQUEST, code: 'GRAPHQL_TOO_MANY_ALIASES' },
  too_many_directives: { status: HttpStatus.BAD_REQUEST, code: 'GRAPHQL_TOO_MANY_DIRECTIVES' },
  too_complex: { status: HttpStatus.BAD_REQUEST, code: 'GRAPHQL_QUERY_TOO_COMPLEX' },
  subscription_over_http: { status: HttpStatus.BAD_REQUEST, code: 'GRAPHQL_SUBSCRIPTION_OVER_HTTP' },
};

/** A 4xx answer to an operation the limits refuse, with its reason for the metrics. */
export class GraphqlRefusal extends ApiError {
  constructor(
    readonly reason: keyof typeof ANSWERS,
    message: string,
    /** Set when the refusal is for cost. */
    readonly cost?: number,
  ) {
    super(ANSWERS[reason].status, ANSWERS[reason].code, message);
  }
}

/** The refusal reason of an error met while admitting an operation; null for a server fault (not a refusal). */
export function refusalReason(error: unknown): RefusalReason | null {
  if (error instanceof GraphqlRefusal) return error.reason;
  if (error instanceof ApiError && error.getStatus() === HttpStatus.TOO_MANY_REQUESTS) return 'rate_limited';
  if (error instanceof ApiError && error.getStatus() === HttpStatus.UNAUTHORIZED) return 'unauthenticated';
  return null;
}

/** Lexical tokens of `source`, counting no further than `max + 1`; a syntax error stops the count (the parser reports it). */
export function countTokens(source: string, max: number): number {
  const lexer = new Lexer(new Source(source));
  let tokens = 0;
  try {
    while (tokens <= max && lexer.advance().kind !== TokenKind.EOF) tokens++;
  } catch {
    // not a document: GraphQL's own parser answers GRAPHQL_PARSE_FAILED
  }
  return tokens;
}

/**
 * The checks that come before parsing, in linear time on a bounded input: the document's size in
 * bytes, then its token count (graphql-js's lexer, stopped at the limit).
 */
export function checkDocument(query: string, limits: Pick<GraphqlLimits, 'maxDocumentBytes' | 'maxTokens'>): void {
  const bytes = Buffer.byteLength(query, 'utf8');
  if (bytes > limits.maxDocumentBytes)
    throw new GraphqlRefusal(
      'document_too_large',
      `The GraphQL document has ${bytes} bytes; at most ${limits.maxDocumentBytes} are accepted`,
    );
  if (countTokens(query, limits.maxTokens) > limits.maxTokens) {
    throw new GraphqlRefusal('too_many_tokens', `The GraphQL document has more than ${limits.maxTokens} tokens`);
  }
}

/** A page of `first` items (the REST default when absent, clamped to the REST range: the resolver refuses the rest). */
const pageSize = (first: unknown): number =>
  typeof first === 'number' && Number.isFinite(first)
    ? Math.min(Math.max(Math.trunc(first), 1), MAX_LIST_LIMIT)
    : DEFAULT_LIST_LIMIT;

/** The `complexity` of a paged field: what one item's selection costs, times the page size, plus the field itself. */
export const pagedFieldCost = ({
  args,
  childComplexity,
}: Pick<ComplexityEstimatorArgs, 'args' | 'childComplexity'>): number => 1 + pageSize(args.first) * childComplexity;

// Paged fields declare their cost (`complexity` on the resolver); every other field costs 1 plus its selection.
const ESTIMATORS = [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })];

/** The armor rules, reporting a GraphqlRefusal instead of armor's own error. */
function shapeRules(limits: GraphqlLimits, refusals: GraphqlRefusal[]): ValidationRule[] {
  const refuse = (reason: GraphqlRefusal['reason']) => ({
    propagateOnRejection: false,
    onReject: [
      (_: unknown, error: GraphQLError) =>
        refusals.push(new GraphqlRefusal(reason, error.message.replace(/^Syntax Error: /, ''))),
    ],
  });
  return [
    maxDepthRule({ n: limits.maxDepth, ignoreIntrospection: true, ...refuse('too_deep') }),
    // __typename counts too: 5,000 of them were answered once.
    maxAliasesRule({ n: limits.maxAliases, allowList: [], ...refuse('too_many_aliases') }),
    maxDirectivesRule({ n: limits.maxDirectives, ...refuse('too_many_directives') }),
  ];
}

export interface OperationRequest {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/**
 * The checks of a parsed, valid document: depth, aliases and directives (graphql-armor's rules),
 * then its cost (graphql-query-complexity; `first:` multiplies). Returns the cost; throws a
 * GraphqlRefusal. Variables that do not coerce cost 1: execution refuses them before any resolver runs.
 */
export function checkOperation(op: OperationRequest, limits: GraphqlLimits): number {
  const refusals: GraphqlRefusal[] = [];
  validate(op.schema, op.document, shapeRules(limits, refusals));
  if (refusals.length > 0) throw refusals[0];
  const operation = getOperationAST(op.document, op.operationName ?? undefined);
  if (!operation) return 1;
  if (getVariableValues(op.schema, operation.variableDefinitions ?? [], op.variables ?? {}).errors) return 1;
  let cost: number;
  try {
    cost = getComplexity({
      schema: op.schema,
      query: op.document,
      operationName: op.operationName ?? undefined,
      variables: op.variables ?? {},
      estimators: ESTIMATORS,
    });
  } catch {
    // More than graphql-query-complexity's 10,000 nodes (fragments spread over and over).
    throw new GraphqlRefusal('too_complex', `The operation's cost exceeds ${limits.maxCost}`);
  }
  if (cost > limits.maxCost)
    throw new GraphqlRefusal(
      'too_complex',
      `The operation costs ${cost}; at most ${limits.maxCost} is allowed (a list field costs its selection times first:)`,
      cost,
    );
  return cost;
}

/** Rate limit tokens an operation takes: one per costPerToken units of cost, at least one. */
export const tokensFor = (cost: number, limits: Pick<GraphqlLimits, 'costPerToken'>): number =>
  Math.max(1, Math.ceil(cost / limits.costPerToken));
