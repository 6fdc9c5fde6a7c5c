/** Shown while a page's data loads; announced politely to screen readers. */
export function LoadingState({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite" data-testid="loading-state">
      <span className="spinner" aria-hidden="true" /> {label}
    </div>
  );
}
