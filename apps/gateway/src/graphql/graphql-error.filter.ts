import { ArgumentsHost, Catch, Logger } from '@nestjs/common';
import { GqlExceptionFilter } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import { toApiError } from '../http/api-exception.filter';

/** The REST error of an exception as a GraphQL error: `message`, and `extensions.code` (UPPER_SNAKE) and `extensions.status`. */
export function toGraphqlError(exception: unknown): GraphQLError {
  if (exception instanceof GraphQLError) return exception;
  const { status, body } = toApiError(exception);
  return new GraphQLError(body.message, { extensions: { code: body.code, status } });
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
