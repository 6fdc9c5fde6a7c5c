import { toApiError } from '../api';

/** A failed request as the person sees it: the API's code and message (and the request id to quote). */
export function ErrorState({
  error,
  title = 'Something went wrong',
  onRetry,
}: {
  error: unknown;
  title?: string;
  onRetry?: () => void;
}) {
  const e = toApiError(error);
  return (
    <div className="state state-error" role="alert" data-testid="error-state">
      <h2>{title}</h2>
      <p>
        <code data-testid="error-code">{e.code}</code> <span data-testid="error-message">{e.message}</span>
      </p>
      {e.request_id && <p className="muted">Request id: {e.request_id}</p>}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
