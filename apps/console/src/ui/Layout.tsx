import { NavLink, Outlet, useNavigate } from 'react-router';
import { clearApiKey } from '../api';
import { useSession } from '../session/session';

/** Every signed-in page: a skip link, the navigation (Admin for admin keys), who is signed in, sign out. */
export function Layout() {
  const session = useSession();
  const navigate = useNavigate();
  const isAdmin = session.scopes.includes('admin');
  const signOut = () => {
    clearApiKey();
    navigate('/sign-in', { replace: true });
  };
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <div className="brand">Transcode Flow</div>
        <nav aria-label="Main">
          <ul>
            <li>
              <NavLink to="/jobs">Jobs</NavLink>
            </li>
            <li>
              <NavLink to="/upload">Upload</NavLink>
            </li>
            {isAdmin && (
              <li>
                <NavLink to="/admin/keys">Admin</NavLink>
              </li>
            )}
            <li>
              <NavLink to="/operator">Operator</NavLink>
            </li>
          </ul>
        </nav>
        <div className="who" data-testid="session">
          <span>
            Tenant <strong data-testid="session-tenant">{session.tenant_id}</strong>
          </span>
          <span className="scopes" data-testid="session-scopes">
            {session.scopes.join(' · ')}
          </span>
          <button type="button" className="secondary" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
