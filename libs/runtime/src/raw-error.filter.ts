import { ArgumentsHost, Catch, RpcExceptionFilter } from '@nestjs/common';
import { Observable, throwError } from 'rxjs';

/**
 * Nest's default RPC filter turns any unknown error into {status, message: 'Internal server error'},
 * losing its class and code. The Kafka transport needs the original error to decide between retry
 * and give-up (NonRetryableError) and to put a real reason into the DLQ headers and JobFailed.
 */
@Catch()
export class RawRpcErrorFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}
