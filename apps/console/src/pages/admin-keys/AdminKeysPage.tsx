import { EmptyState } from '../../ui';

// Placeholder of the scaffold: this page is built by its owner (see the console's README).
export default function AdminKeysPage() {
  return (
    <section>
      <h1>API keys</h1>
      <EmptyState title="Not built yet">
        <p>This page is on its way.</p>
      </EmptyState>
    </section>
  );
}
