import { NavLink } from 'react-router';

/** The admin pages' own navigation (the main navigation's Admin link opens the first). */
export function AdminNav() {
  return (
    <nav aria-label="Admin" className="subnav">
      <NavLink to="/admin/keys">API keys</NavLink>
      <NavLink to="/admin/webhooks">Webhooks</NavLink>
    </nav>
  );
}
