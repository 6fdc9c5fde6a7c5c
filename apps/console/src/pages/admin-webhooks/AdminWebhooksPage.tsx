import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, data, type Schemas } from '../../api';
import { CheckboxGroup, EmptyState, ErrorState, LoadingState } from '../../ui';
import { AdminNav } from '../admin/AdminNav';
import { ShownOnce } from '../admin/ShownOnce';
import { useAdminAction } from '../admin/use-admin-action';
import '../admin/admin.css';

type Endpoint = Schemas['EndpointDto'];
type Delivery = Schemas['DeliveryDto'];
type EventType = NonNullable<Schemas['CreateEndpointDto']['events']>[number];

const EVENT_TYPES: EventType[] = ['video.completed', 'job.failed'];

/** The tenant's webhook endpoints (create, rotate the signing secret, enable/disable) and the delivery log. */
export default function AdminWebhooksPage() {
  const [endpoints, setEndpoints] = useState<Endpoint[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [shown, setShown] = useState<{ label: string; secret: string } | null>(null);
  const [logEndpoint, setLogEndpoint] = useState<string | null>(null);
  const [logVersion, setLogVersion] = useState(0);

  const load = useCallback(() => {
    setError(null);
    data(api.GET('/api/v1/webhooks/endpoints')).then((list) => setEndpoints(list.data), setError);
  }, []);
  useEffect(load, [load]);
  const { busy, actionError, act } = useAdminAction(load);

  const rotate = (endpoint: Endpoint) =>
    act(async () => {
      const rotated = await data(
        api.POST('/api/v1/webhooks/endpoints/{id}/rotate-secret', {
          params: { path: { id: endpoint.id } },
          body: {},
        }),
      );
      setShown({ label: `New signing secret for ${endpoint.url}`, secret: rotated.secret });
    });

  const setEnabled = (endpoint: Endpoint, enabled: boolean) =>
    act(async () => {
      await data(
        api.PATCH('/api/v1/webhooks/endpoints/{id}', { params: { path: { id: endpoint.id } }, body: { enabled } }),
      );
    });

  return (
    <section aria-labelledby="webhooks-title">
      <AdminNav />
      <h1 id="webhooks-title">Webhooks</h1>
      {shown && <ShownOnce label={shown.label} value={shown.secret} onDismiss={() => setShown(null)} />}
      <CreateEndpointForm
        busy={busy}
        onCreate={(body) =>
          act(async () => {
            const created = await data(api.POST('/api/v1/webhooks/endpoints', { body }));
            setShown({ label: `Signing secret for ${created.url}`, secret: created.secret });
          })
        }
      />
      {actionError !== null && <ErrorState error={actionError} title="The endpoint was not changed" />}
      <h2 id="endpoints-title">Endpoints</h2>
      {error !== null ? (
        <ErrorState error={error} title="Could not load the endpoints" onRetry={load} />
      ) : endpoints === null ? (
        <LoadingState label="Loading endpoints…" />
      ) : endpoints.length === 0 ? (
        <EmptyState title="No endpoints">
          <p>Jobs can still name their own webhook URL when they are submitted.</p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="stack-narrow" data-testid="endpoints-table" aria-labelledby="endpoints-title">
            <thead>
              <tr>
                <th scope="col">URL</th>
                <th scope="col">Events</th>
                <th scope="col">Enabled</th>
                <th scope="col" className="hide-narrow">
                  Secret rotated
                </th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {endpoints.map((endpoint) => (
                <tr key={endpoint.id} data-testid="endpoint-row" data-endpoint-url={endpoint.url}>
                  <td className="wrap">{endpoint.url}</td>
                  <td data-label="Events">{endpoint.events.join(', ')}</td>
                  <td data-label="Enabled">{endpoint.enabled ? 'yes' : 'no'}</td>
                  <td className="hide-narrow">
                    {endpoint.secret_rotated_at ? new Date(endpoint.secret_rotated_at).toLocaleString() : 'never'}
                    {endpoint.previous_secret_expires_at && (
                      <span className="muted">
                        {' '}
                        (old secret signs until {new Date(endpoint.previous_secret_expires_at).toLocaleString()})
                      </span>
                    )}
                  </td>
                  <td>
                    <div className="row-actions">
                      <button
                        type="button"
                        className="secondary"
                        disabled={busy}
                        aria-label={`Rotate the secret of ${endpoint.url}`}
                        onClick={() => rotate(endpoint)}
                      >
                        Rotate secret
                      </button>
                      <button
                        type="button"
                        className="secondary"
                        disabled={busy}
                        onClick={() => setEnabled(endpoint, !endpoint.enabled)}
                      >
                        {endpoint.enabled ? 'Disable' : 'Enable'}
                      </button>
                      <button
                        type="button"
                        className="secondary"
                        aria-pressed={logEndpoint === endpoint.id}
                        onClick={() => setLogEndpoint(logEndpoint === endpoint.id ? null : endpoint.id)}
                      >
                        Its deliveries
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <DeliveryLog
        key={`${logEndpoint}-${logVersion}`}
        endpoint={endpoints?.find((e) => e.id === logEndpoint) ?? null}
        onRefresh={() => setLogVersion((v) => v + 1)}
      />
    </section>
  );
}

/** The tenant's deliveries, newest first (one endpoint's when chosen), a page at a time. */
function DeliveryLog({ endpoint, onRefresh }: { endpoint: Endpoint | null; onRefresh: () => void }) {
  const [pages, setPages] = useState<Delivery[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);

  const more = useCallback(
    (after?: string) => {
      setLoading(true);
      setError(null);
      data(
        api.GET('/api/v1/webhooks/deliveries', {
          params: { query: { limit: 20, endpoint_id: endpoint?.id, cursor: after } },
        }),
      ).then(
        (page) => {
          setPages((p) => (after ? [...p, ...page.data] : page.data));
          setCursor(page.next_cursor);
          setLoading(false);
        },
        (e: unknown) => {
          setError(e);
          setLoading(false);
        },
      );
    },
    [endpoint?.id],
  );
  useEffect(() => more(), [more]);

  return (
    <section aria-labelledby="deliveries-title" className="deliveries">
      <div className="section-head">
        <h2 id="deliveries-title">Delivery log{endpoint ? ` of ${endpoint.url}` : ''}</h2>
        <button type="button" className="secondary" onClick={onRefresh}>
          Refresh
        </button>
      </div>
      {error !== null ? (
        <ErrorState error={error} title="Could not load the deliveries" onRetry={() => more()} />
      ) : pages.length === 0 && loading ? (
        <LoadingState label="Loading deliveries…" />
      ) : pages.length === 0 ? (
        <EmptyState title="No deliveries yet" />
      ) : (
        <div className="table-wrap">
          <table className="stack-narrow" data-testid="deliveries-table" aria-labelledby="deliveries-title">
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Job</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last answer</th>
                <th scope="col" className="hide-narrow">
                  Created
                </th>
              </tr>
            </thead>
            <tbody>
              {pages.map((d) => (
                <tr key={d.id} data-testid="delivery-row" data-job-id={d.job_id}>
                  <td>{d.event_type}</td>
                  <td data-label="Job">
                    <a href={`/jobs/${d.job_id}`}>
                      <code>{d.job_id.slice(0, 8)}</code>
                    </a>
                  </td>
                  <td data-label="Status">
                    <span className={`status delivery-${d.status}`} data-testid="delivery-status">
                      {d.status}
                    </span>
                  </td>
                  <td data-label="Attempts">{d.attempts}</td>
                  <td className="wrap" data-label="Last answer">
                    {d.last_status_code ?? ''} {d.last_error ?? ''}
                    {d.next_attempt_at && (
                      <span className="muted"> next try {new Date(d.next_attempt_at).toLocaleTimeString()}</span>
                    )}
                  </td>
                  <td className="hide-narrow">{new Date(d.created_at).toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor && (
        <button type="button" className="secondary" disabled={loading} onClick={() => more(cursor)}>
          Older deliveries
        </button>
      )}
    </section>
  );
}

function CreateEndpointForm({
  busy,
  onCreate,
}: {
  busy: boolean;
  onCreate: (body: Schemas['CreateEndpointDto']) => void;
}) {
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<EventType[]>(EVENT_TYPES);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onCreate({ url, events, enabled: true });
  };
  return (
    <form className="card form-grid" onSubmit={submit} aria-labelledby="create-endpoint-title">
      <h2 id="create-endpoint-title">Add an endpoint</h2>
      <div className="field">
        <label htmlFor="endpoint-url">URL</label>
        <input
          id="endpoint-url"
          type="url"
          required
          value={url}
          placeholder="https://example.com/hooks"
          onChange={(e) => setUrl(e.target.value)}
        />
      </div>
      <CheckboxGroup legend="Events" options={EVENT_TYPES} selected={events} onChange={setEvents} />
      <div>
        <button type="submit" disabled={busy || events.length === 0}>
          Add endpoint
        </button>
      </div>
    </form>
  );
}
