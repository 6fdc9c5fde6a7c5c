import { useState, type FormEvent } from 'react';
import { JOB_STATUSES, type JobFilters } from './job-filters';

/** Status, label and date filters; applied on submit (the URL keeps them). */
export function FiltersForm({ value, onApply }: { value: JobFilters; onApply: (filters: JobFilters) => void }) {
  const [draft, setDraft] = useState(value);
  const set = (patch: Partial<JobFilters>) => setDraft((d) => ({ ...d, ...patch }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };
  const clear = () => {
    const empty: JobFilters = { status: '', label: '', from: '', to: '' };
    setDraft(empty);
    onApply(empty);
  };
  return (
    <form className="filters" role="search" aria-label="Filter jobs" onSubmit={submit}>
      <div>
        <label htmlFor="filter-status">Status</label>
        <select
          id="filter-status"
          value={draft.status}
          onChange={(e) => set({ status: e.target.value as JobFilters['status'] })}
        >
          <option value="">Any</option>
          {JOB_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="filter-label">Label</label>
        <input
          id="filter-label"
          value={draft.label}
          placeholder="e.g. demo"
          onChange={(e) => set({ label: e.target.value })}
        />
      </div>
      <div>
        <label htmlFor="filter-from">Created from</label>
        <input id="filter-from" type="date" value={draft.from} onChange={(e) => set({ from: e.target.value })} />
      </div>
      <div>
        <label htmlFor="filter-to">Created to</label>
        <input id="filter-to" type="date" value={draft.to} onChange={(e) => set({ to: e.target.value })} />
      </div>
      <button type="submit">Apply filters</button>
      <button type="button" className="secondary" onClick={clear}>
        Clear
      </button>
    </form>
  );
}
