import { EmptyState } from '../../ui';

// Placeholder of the scaffold: this page is built by its owner (see the console's README).
export default function AdminWebhooksPage() {
  return (
    <section>
      <h1>Webhook endpoints</h1>
      <EmptyState title="Not built yet">
        <p>This page is on its way.</p>
      </EmptyState>
    </section>
  );
}
