import { useState } from 'react';

/** A secret the API shows this once (a new key, a signing secret): copy it now, it is never shown again. */
export function ShownOnce({ label, value, onDismiss }: { label: string; value: string; onDismiss: () => void }) {
  const [copied, setCopied] = useState(false);
  const copy = () =>
    navigator.clipboard?.writeText(value).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  return (
    <div className="card shown-once" role="status" aria-live="polite" data-testid="shown-once">
      <h2>{label}</h2>
      <p>Copy it now: it is shown this once and cannot be read again.</p>
      <p>
        <code className="secret" data-testid="shown-once-value">
          {value}
        </code>
      </p>
      <div className="row-actions">
        <button type="button" onClick={copy}>
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" className="secondary" onClick={onDismiss}>
          Done
        </button>
      </div>
    </div>
  );
}
