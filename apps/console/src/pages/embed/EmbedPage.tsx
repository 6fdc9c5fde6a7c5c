import { EmptyState } from '../../ui';

// Placeholder of the scaffold: this page is built by its owner (see the console's README).
export default function EmbedPage() {
  return (
    <section>
      <h1>Player</h1>
      <EmptyState title="Not built yet">
        <p>This page is on its way.</p>
      </EmptyState>
    </section>
  );
}
