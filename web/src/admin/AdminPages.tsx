// The admin's start page (where each thing they keep lives) and the settings the
// console runs with, read-only: they come from the server's configuration.
import { Link } from 'react-router-dom';
import type { Settings } from '../api/types';
import { useResource } from '../api/useResource';
import { useApi } from '../auth/session';
import { ErrorNotice, SkeletonRows } from '../ui/EmptyState';
import { usePageTitle } from '../ui/usePageTitle';

const areas = [
  { to: '/admin/users', title: 'Users', text: 'Add people, choose their role, disable those who left.' },
  { to: '/checklist-templates', title: 'Checklist templates', text: 'What installers answer on site; every edit is a new version.' },
  { to: '/admin/articles', title: 'Article catalogue', text: 'The material installers pick for their protocols, with prices.' },
  { to: '/admin/routing', title: 'Routing', text: 'Who gets each new office task: rules by customer, site and category, and the groups they name.' },
  { to: '/admin/settings', title: 'Settings', text: 'How this Fieldflow is configured, and the link to the Temporal UI.' },
  { to: '/supervisor', title: 'Supervision', text: 'Workload, overdue and escalated work, approvals waiting.' },
];

export function AdminPage() {
  usePageTitle('Admin');
  return (
    <div className="page page--narrow">
      <div className="page-head">
        <div>
          <h1>Admin</h1>
          <p className="muted page-head__sub">What admins keep for everyone else.</p>
        </div>
      </div>
      <ul className="stack admin-areas">
        {areas.map((area) => (
          <li key={area.to} className="card">
            <h2 className="card__title">
              <Link to={area.to}>{area.title}</Link>
            </h2>
            <p className="muted">{area.text}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function SettingsPage() {
  usePageTitle('Settings');
  const api = useApi();
  const settings = useResource((signal) => api.get<Settings>('/settings', { signal }), []);
  const data = settings.data;
  return (
    <div className="page page--narrow">
      <div className="page-head">
        <div>
          <h1>Settings</h1>
          <p className="muted page-head__sub">Read-only here: they come from the server’s environment (see the README’s configuration table).</p>
        </div>
      </div>
      {settings.error && !data ? (
        <ErrorNotice error={settings.error} onRetry={() => void settings.reload()} />
      ) : !data ? (
        <SkeletonRows rows={2} label="Loading the settings" />
      ) : (
        <dl className="facts card" data-testid="settings">
          <dt>Temporal namespace</dt>
          <dd>{data.temporalNamespace}</dd>
          <dt>Temporal UI</dt>
          <dd>
            {data.temporalUiUrl ? (
              <a href={`${data.temporalUiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(data.temporalNamespace)}/workflows`} target="_blank" rel="noreferrer">
                Open the workflows in the Temporal UI
                <span className="visually-hidden"> (opens in a new tab)</span>
              </a>
            ) : (
              <span>Not linked: set TEMPORAL_UI_PUBLIC_URL to the address people’s browsers reach it at.</span>
            )}
          </dd>
        </dl>
      )}
    </div>
  );
}
