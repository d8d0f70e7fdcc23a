// The frame of every signed-in page: header with the brand, the navigation for the
// person's role, who is signed in and sign out; then the page.
import { NavLink, Outlet, useNavigate } from 'react-router-dom';
import { isStaff, roleLabel, useSession, useAuth } from '../auth/session';
import { SearchBox } from '../search/SearchBox';
import { TaskTypesProvider } from '../tasks/taskTypes';
import { NotificationBell } from '../notifications/NotificationBell';
import { DirectoryProvider } from '../ui/Directory';
import { ToastSlot } from '../ui/Toast';

export function Shell() {
  const { user } = useSession();
  const { signOut } = useAuth();
  const navigate = useNavigate();
  const staff = isStaff(user.role);
  return (
    <TaskTypesProvider>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar__inner">
          <NavLink to="/" className="brand">
            <span className="brand__mark" aria-hidden="true">
              F
            </span>
            <span className="brand__name">Fieldflow</span>
          </NavLink>
          <nav className="nav" aria-label="Main">
            <NavLink to="/" end className="nav__link">
              {staff ? 'Inbox' : user.role === 'customer' ? 'My cases' : 'My jobs'}
            </NavLink>
            {staff && (
              <>
                <NavLink to="/projects" end className="nav__link">
                  Projects
                </NavLink>
                <NavLink to="/projects/new" className="nav__link">
                  New project
                </NavLink>
                <NavLink to="/jobs" end className="nav__link">Jobs</NavLink>
                <NavLink to="/dispatch" className="nav__link">Dispatch</NavLink>
                <NavLink to="/checklist-templates" className="nav__link">
                  Checklists
                </NavLink>
                <NavLink to="/statistics" className="nav__link">Statistics</NavLink>
                {(user.role === 'supervisor' || user.role === 'admin') && <NavLink to="/supervisor" className="nav__link">Supervision</NavLink>}
                {user.role === 'admin' && <NavLink to="/admin" className="nav__link">Admin</NavLink>}
              </>
            )}
          </nav>
          {staff && <SearchBox />}
          <div className="whoami">
            {user.role !== 'customer' && <NotificationBell />}
            <span className="whoami__name">{user.name}</span>
            <span className="badge badge--role" data-testid="role">
              {roleLabel[user.role]}
            </span>
            <button
              type="button"
              className="button button--small button--on-dark"
              onClick={() => {
                signOut();
                navigate('/sign-in');
              }}
            >
              Sign out
            </button>
          </div>
        </div>
      </header>
      <main id="main" className="main" tabIndex={-1}>
        <ToastSlot />
        <DirectoryProvider>
          <Outlet />
        </DirectoryProvider>
      </main>
    </TaskTypesProvider>
  );
}
