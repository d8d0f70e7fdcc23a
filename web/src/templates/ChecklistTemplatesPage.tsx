// The checklist templates: staff see what each checklist asks, admins open one to edit it.
import { Link } from 'react-router-dom';
import type { ChecklistTemplate, Page } from '../api/types';
import { useResource } from '../api/useResource';
import { useApi, useSession } from '../auth/session';
import { ErrorNotice, SkeletonRows } from '../ui/EmptyState';
import { formatDateTime } from '../ui/format';
import { usePageTitle } from '../ui/usePageTitle';
import { useTaskTypes } from '../tasks/taskTypes';

export function ChecklistTemplatesPage() {
  usePageTitle('Checklist templates');
  const api = useApi();
  const { user } = useSession();
  const { byType } = useTaskTypes();
  const data = useResource((signal) => api.get<Page<ChecklistTemplate>>('/checklist-templates', { signal }), []);
  return (
    <div className="page page--narrow">
      <div className="page-head">
        <div>
          <h1>Checklist templates</h1>
          <p className="page-head__sub">
            What installers answer on site. {user.role === 'admin' ? 'Every edit is a new version; checklists already open keep theirs.' : 'Admins edit them.'}
          </p>
        </div>
      </div>
      {data.error && !data.data ? (
        <ErrorNotice error={data.error} onRetry={() => void data.reload()} />
      ) : !data.data ? (
        <SkeletonRows rows={8} label="Loading the templates" />
      ) : (
        <ul className="stack template-list">
          {data.data.items.map((template) => (
            <li key={template.taskType} className="card">
              <h2 className="card__title">
                <Link to={`/checklist-templates/${encodeURIComponent(template.taskType)}`}>{byType.get(template.taskType)?.title ?? template.taskType}</Link>
              </h2>
              <p className="muted">
                {template.title} · {template.items.length} items, {template.items.filter((item) => item.required).length} required · version {template.version},{' '}
                {formatDateTime(template.createdAt)}
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
