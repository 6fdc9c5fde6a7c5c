import { ArgumentsHost, Catch, Logger } from '@nestjs/common';
import { GqlExceptionFilter } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import { currentLogContext } from '@tf/observability';
import { toApiError } from '../http/api-exception.filter';

/**
 * The REST error of an exception as a GraphQL error: `message`, and `extensions.code` (UPPER_SNAKE),
 * `extensions.status` and `extensions.request_id` (the X-Request-Id of the HTTP request it is answered in).
 */
export function toGraphqlError(exception: unknown): GraphQLError {
  if (exception instanceof GraphQLError) return exception;
  const { status, body } = toApiError(exception);
  const requestId = currentLogContext().request_id;
  return new GraphQLError(body.message, {
    extensions: { code: body.code, status, ...(requestId ? { request_id: requestId } : {}) },
  });
}

/**
 * On the resolvers (it takes precedence over the global HTTP filter, which only knows HTTP
 * responses): the same codes as the REST API; internal errors are logged, never shown.
 */
@Catch()
export class GraphqlErrorFilter implements GqlExceptionFilter {
  private readonly logger = new Logger('GraphqlErrors');

  catch(exception: unknown, _host: ArgumentsHost): GraphQLError {
    const error = toGraphqlError(exception);
    if (Number(error.extensions.status) >= 500)
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return error;
  }
}
