import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { api, data, type Schemas } from '../../api';
import { useSession } from '../../session/session';
import { CheckboxGroup, EmptyState, ErrorState, LoadingState } from '../../ui';
import { AdminNav } from '../admin/AdminNav';
import { ShownOnce } from '../admin/ShownOnce';
import { useAdminAction } from '../admin/use-admin-action';
import '../admin/admin.css';

type Key = Schemas['KeyDto'];
type Scope = Key['scopes'][number];

type KeyState = Key['state'];
type KeyFilter = { tenant: string; state: KeyState | '' };

const SCOPES: Scope[] = ['jobs:read', 'jobs:write', 'admin'];
const STATES: KeyState[] = ['active', 'expiring', 'revoked'];
/** How long a rotated key keeps working: at once, or a grace period for the clients to switch. */
const GRACE_PERIODS = [
  { label: 'at once', seconds: 0 },
  { label: 'after 1 hour', seconds: 3600 },
  { label: 'after 1 day', seconds: 86400 },
];

/** API keys: create (shown once), rotate (the new one shown once), revoke. A platform admin sees every tenant's. */
export default function AdminKeysPage() {
  const session = useSession();
  const [keys, setKeys] = useState<Key[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [shown, setShown] = useState<{ label: string; key: string } | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  // A platform admin sees every tenant's keys: the list starts with its own tenant's.
  const [filter, setFilter] = useState<KeyFilter>({
    tenant: session.platform_admin ? session.tenant_id : '',
    state: '',
  });

  // Only the newest request's answer is shown (a filter change and an action's reload can cross).
  const latest = useRef(0);
  const load = useCallback(() => {
    setError(null);
    const request = ++latest.current;
    const query = { tenant_id: filter.tenant || undefined, state: filter.state || undefined };
    data(api.GET('/api/v1/admin/keys', { params: { query } })).then(
      (list) => request === latest.current && setKeys(list),
      (e: unknown) => request === latest.current && setError(e),
    );
  }, [filter]);
  useEffect(load, [load]);
  const { busy, actionError, act } = useAdminAction(load);

  const rotate = (key: Key, grace: number) =>
    act(async () => {
      const rotated = await data(
        api.POST('/api/v1/admin/keys/{id}/rotate', {
          params: { path: { id: key.id } },
          body: { grace_period_s: grace },
        }),
      );
      setShown({ label: `New key replacing ${key.prefix}…`, key: rotated.key });
    });

  const revoke = (key: Key) =>
    act(async () => {
      await data(api.POST('/api/v1/admin/keys/{id}/revoke', { params: { path: { id: key.id } } }));
      setConfirming(null);
    });

  return (
    <section aria-labelledby="keys-title">
      <AdminNav />
      <h1 id="keys-title">API keys</h1>
      {shown && <ShownOnce label={shown.label} value={shown.key} onDismiss={() => setShown(null)} />}
      <CreateKeyForm
        platformAdmin={session.platform_admin}
        busy={busy}
        onCreate={(body) =>
          act(async () => {
            const created = await data(api.POST('/api/v1/admin/keys', { body }));
            setShown({ label: `New key ${created.prefix}… (${created.tenant_id})`, key: created.key });
            // Show the list its key is in.
            if (session.platform_admin && filter.tenant && filter.tenant !== created.tenant_id)
              setFilter((f) => ({ ...f, tenant: created.tenant_id }));
          })
        }
      />
      {actionError !== null && <ErrorState error={actionError} title="The key was not changed" />}
      <KeyFilterForm
        key={`${filter.tenant}/${filter.state}`}
        platformAdmin={session.platform_admin}
        filter={filter}
        onApply={setFilter}
      />
      {error !== null ? (
        <ErrorState error={error} title="Could not load the keys" onRetry={load} />
      ) : keys === null ? (
        <LoadingState label="Loading keys…" />
      ) : keys.length === 0 ? (
        <EmptyState title="No keys" />
      ) : (
        <div className="table-wrap">
          <table className="stack-narrow" data-testid="keys-table">
            <caption className="visually-hidden">API keys</caption>
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Name</th>
                {session.platform_admin && <th scope="col">Tenant</th>}
                <th scope="col">Scopes</th>
                <th scope="col">State</th>
                <th scope="col" className="hide-narrow">
                  Created
                </th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => (
                <tr key={key.id} data-testid="key-row" data-key-prefix={key.prefix}>
                  <td>
                    <code>{key.prefix}…</code>
                    {key.id === session.key_id && <span className="muted"> (this session)</span>}
                  </td>
                  <td data-label="Name">{key.name ?? <span className="muted">—</span>}</td>
                  {session.platform_admin && <td data-label="Tenant">{key.tenant_id}</td>}
                  <td data-label="Scopes">
                    {key.scopes.join(', ')}
                    {key.platform_admin && <span className="muted"> · platform admin</span>}
                  </td>
                  <td data-label="State">
                    <span className={`status key-${key.state}`} data-testid="key-state">
                      {key.state}
                    </span>
                  </td>
                  <td className="hide-narrow">{new Date(key.created_at).toLocaleString()}</td>
                  <td>
                    {key.state === 'active' &&
                      (confirming === key.id ? (
                        <div className="row-actions">
                          <button type="button" className="danger" disabled={busy} onClick={() => revoke(key)}>
                            Confirm revoke
                          </button>
                          <button type="button" className="secondary" onClick={() => setConfirming(null)}>
                            Cancel
                          </button>
                        </div>
                      ) : (
                        <div className="row-actions">
                          <RotateButton keyPrefix={key.prefix} busy={busy} onRotate={(grace) => rotate(key, grace)} />
                          <button
                            type="button"
                            className="danger"
                            aria-label={`Revoke ${key.prefix}`}
                            onClick={() => setConfirming(key.id)}
                          >
                            Revoke
                          </button>
                        </div>
                      ))}
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

function KeyFilterForm({
  platformAdmin,
  filter,
  onApply,
}: {
  platformAdmin: boolean;
  filter: KeyFilter;
  onApply: (filter: KeyFilter) => void;
}) {
  const [tenant, setTenant] = useState(filter.tenant);
  const [state, setState] = useState(filter.state);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply({ tenant: tenant.trim(), state });
  };
  return (
    <form className="filters" onSubmit={submit} aria-label="Filter the keys">
      {platformAdmin && (
        <div>
          <label htmlFor="filter-tenant">Filter by tenant</label>
          <input
            id="filter-tenant"
            value={tenant}
            placeholder="every tenant"
            onChange={(e) => setTenant(e.target.value)}
          />
        </div>
      )}
      <div>
        <label htmlFor="filter-state">State</label>
        <select id="filter-state" value={state} onChange={(e) => setState(e.target.value as KeyState | '')}>
          <option value="">any</option>
          {STATES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <div>
        <button type="submit" className="secondary">
          Show
        </button>
      </div>
    </form>
  );
}

function RotateButton({
  keyPrefix,
  busy,
  onRotate,
}: {
  keyPrefix: string;
  busy: boolean;
  onRotate: (graceSeconds: number) => void;
}) {
  const [grace, setGrace] = useState(0);
  return (
    <>
      <select
        aria-label={`When ${keyPrefix} stops working`}
        value={grace}
        onChange={(e) => setGrace(Number(e.target.value))}
      >
        {GRACE_PERIODS.map((g) => (
          <option key={g.seconds} value={g.seconds}>
            {g.label}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="secondary"
        disabled={busy}
        aria-label={`Rotate ${keyPrefix}`}
        onClick={() => onRotate(grace)}
      >
        Rotate
      </button>
    </>
  );
}

function CreateKeyForm({
  platformAdmin,
  busy,
  onCreate,
}: {
  platformAdmin: boolean;
  busy: boolean;
  onCreate: (body: Schemas['CreateKeyDto']) => void;
}) {
  const [name, setName] = useState('');
  const [tenant, setTenant] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['jobs:read', 'jobs:write']);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onCreate({ name: name || null, scopes, ...(platformAdmin && tenant ? { tenant_id: tenant } : {}) });
  };
  return (
    <form className="card form-grid" onSubmit={submit} aria-labelledby="create-key-title">
      <h2 id="create-key-title">Create a key</h2>
      <div className="field">
        <label htmlFor="key-name">Name</label>
        <input id="key-name" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
      </div>
      {platformAdmin && (
        <div className="field">
          <label htmlFor="key-tenant">Tenant</label>
          <input
            id="key-tenant"
            value={tenant}
            placeholder="yours"
            aria-describedby="key-tenant-help"
            onChange={(e) => setTenant(e.target.value)}
          />
          <span id="key-tenant-help" className="muted">
            Empty: your own tenant
          </span>
        </div>
      )}
      <CheckboxGroup legend="Scopes" options={SCOPES} selected={scopes} onChange={setScopes} />
      <div>
        <button type="submit" disabled={busy || scopes.length === 0}>
          Create key
        </button>
      </div>
    </form>
  );
}
