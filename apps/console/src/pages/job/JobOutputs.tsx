import type { Schemas } from '../../api';
import { EmptyState } from '../../ui';
import { formatBytes } from './job-format';

type Output = Schemas['JobViewDto']['outputs'][number];

/** The thumbnails, then every output with its download link (presigned URLs). */
export function JobOutputs({ outputs, skipped }: { outputs: Output[]; skipped: Schemas['JobViewDto']['skipped'] }) {
  const thumbnails = outputs.filter((o) => o.kind === 'thumbnail');
  return (
    <>
      <section aria-labelledby="thumbs-title" className="card">
        <h2 id="thumbs-title">Thumbnails</h2>
        {thumbnails.length === 0 ? (
          <p className="muted">No thumbnails yet.</p>
        ) : (
          <ul className="thumbs" data-testid="thumbnails">
            {thumbnails.map((t, i) => (
              <li key={t.label}>
                <a href={t.url} target="_blank" rel="noreferrer">
                  <img src={t.url} alt={`Thumbnail ${i + 1} of ${thumbnails.length}`} loading="lazy" width={160} />
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="outputs-title" className="card">
        <h2 id="outputs-title">Outputs</h2>
        {outputs.length === 0 ? (
          <EmptyState title="No outputs yet">
            <p>They appear here as the stages write them.</p>
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table data-testid="outputs">
              <thead>
                <tr>
                  <th scope="col">Kind</th>
                  <th scope="col">Label</th>
                  <th scope="col">Size</th>
                  <th scope="col">Download</th>
                </tr>
              </thead>
              <tbody>
                {outputs.map((o) => (
                  <tr key={`${o.kind}-${o.label}`} data-testid="output-row" data-kind={o.kind}>
                    <td>{o.kind}</td>
                    <td>{o.label}</td>
                    <td>{formatBytes(o.bytes)}</td>
                    <td>
                      <a
                        href={o.url}
                        download
                        target="_blank"
                        rel="noreferrer"
                        aria-label={`Download ${o.kind} ${o.label}`}
                      >
                        Download
                      </a>{' '}
                      <span className="muted hide-narrow">{o.content_type}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {skipped.length > 0 && (
          <p className="muted" data-testid="skipped">
            Not made: {skipped.map((s) => `${s.label} (${s.reason})`).join(', ')}
          </p>
        )}
      </section>
    </>
  );
}
