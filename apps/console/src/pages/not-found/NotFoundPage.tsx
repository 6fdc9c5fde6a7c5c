import { Link } from 'react-router';
import { EmptyState } from '../../ui';

export default function NotFoundPage() {
  return (
    <section>
      <h1>Page not found</h1>
      <EmptyState title="There is no page at this address">
        <p>
          <Link to="/jobs">Go to the jobs</Link>
        </p>
      </EmptyState>
    </section>
  );
}
