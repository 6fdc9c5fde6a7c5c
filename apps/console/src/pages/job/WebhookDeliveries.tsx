import { useCallback, useEffect, useState } from 'react';
import { api, data, type Schemas } from '../../api';
import { EmptyState, ErrorState, LoadingState } from '../../ui';
import { formatTime } from './job-format';

type Delivery = Schemas['DeliveryDto'];

/** How often, and for how long after the job's last change, the list is re-read while deliveries may still come. */
const POLL_MS = 3000;
const POLL_FOR_MS = 120_000;

/** The job's webhook deliveries (its own webhook_url and the tenant's endpoints), each with redeliver. */
export function WebhookDeliveries({ jobId, refreshKey }: { jobId: string; refreshKey: string }) {
  const [deliveries, setDeliveries] = useState<Delivery[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState<string | null>(null);

  const load = useCallback(() => {
    data(api.GET('/api/v1/webhooks/deliveries', { params: { query: { job_id: jobId, limit: 50 } } })).then((page) => {
      setError(null);
      setDeliveries(page.data);
    }, setError);
  }, [jobId]);
  useEffect(load, [load, refreshKey]);

  // The notifier records a delivery after the job's event, and retries a pending one later: the job's own
  // stream says nothing of either, so the list is re-read while one may be missing or still pending.
  const settled = deliveries !== null && deliveries.length > 0 && deliveries.every((d) => d.status !== 'pending');
  useEffect(() => {
    if (settled) return;
    const started = Date.now();
    const timer = setInterval(() => {
      if (Date.now() - started > POLL_FOR_MS) clearInterval(timer);
      else load();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [load, refreshKey, settled]);

  const redeliver = async (d: Delivery) => {
    setNote(null);
    try {
      await api.POST('/api/v1/webhooks/deliveries/{id}/redeliver', { params: { path: { id: d.id } } });
      setNote(`Redelivery of ${d.event_type} to ${d.url} requested.`);
      setTimeout(load, 1500);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section aria-labelledby="deliveries-title" className="card">
      <h2 id="deliveries-title">Webhook deliveries</h2>
      {note && (
        <p role="status" data-testid="redeliver-note">
          {note}
        </p>
      )}
      {error !== null ? (
        <ErrorState error={error} title="Could not load the deliveries" onRetry={load} />
      ) : deliveries === null ? (
        <LoadingState label="Loading deliveries…" />
      ) : deliveries.length === 0 ? (
        <EmptyState title="No webhook deliveries">
          <p>The job has no webhook URL and no endpoint of the tenant wanted its events, or none was sent yet.</p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="stack-narrow" data-testid="deliveries">
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">URL</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((d) => (
                <tr key={d.id} data-testid="delivery-row" data-status={d.status}>
                  <td>{d.event_type}</td>
                  <td className="break" data-label="URL">
                    {d.url}
                  </td>
                  <td data-label="Status">
                    <span className={`status status-${d.status === 'delivered' ? 'completed' : d.status}`}>
                      {d.status}
                    </span>
                    {d.last_status_code !== null && <span className="muted"> HTTP {d.last_status_code}</span>}
                  </td>
                  <td data-label="Attempts">{d.attempts}</td>
                  <td data-label="Created">{formatTime(d.created_at)}</td>
                  <td>
                    <button type="button" className="secondary" onClick={() => void redeliver(d)}>
                      Redeliver
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
