// One checklist template: its items, older versions to look at, and for admins the
// editor of the current version.
import { Link, useParams, useSearchParams } from 'react-router-dom';
import type { ChecklistTemplate } from '../api/types';
import { useResource } from '../api/useResource';
import { useApi, useSession } from '../auth/session';
import { useTaskTypes } from '../tasks/taskTypes';
import { ErrorNotice, SkeletonRows } from '../ui/EmptyState';
import { formatDateTime } from '../ui/format';
import { useToast } from '../ui/Toast';
import { usePageTitle } from '../ui/usePageTitle';
import { TemplateEditor, TYPE_LABELS } from './TemplateEditor';


export function ChecklistTemplatePage() {
  const { taskType = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const version = search.get('version') ?? undefined;
  const api = useApi();
  const { user } = useSession();
  const { byType } = useTaskTypes();
  const toast = useToast();
  const name = byType.get(taskType)?.title ?? taskType;
  usePageTitle(`${name} template`);
  const data = useResource(
    (signal) => api.get<ChecklistTemplate>(`/checklist-templates/${encodeURIComponent(taskType)}`, { signal, query: { version } }),
    [taskType, version],
  );
  const template = data.data;
  const latest = template?.versions?.[0]?.version;
  const editable = user.role === 'admin' && template !== undefined && template.version === latest;

  if (data.error && !data.data) return <ErrorNotice error={data.error} onRetry={() => void data.reload()} />;
  if (!template) return <SkeletonRows rows={8} label="Loading the template" />;
  return (
    <div className="page page--narrow">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/checklist-templates">Checklist templates</Link> <span aria-hidden="true">›</span> <span aria-current="page">{name}</span>
      </nav>
      <div className="page-head">
        <div>
          <h1>{name}</h1>
          <p className="page-head__sub">
            Version {template.version} of {latest}, {formatDateTime(template.createdAt)} by {template.createdBy === 'system' ? 'Fieldflow (shipped)' : template.createdBy}
          </p>
        </div>
        <div className="page-head__actions">
          <label htmlFor="template-version" className="visually-hidden">
            Version
          </label>
          <select id="template-version" value={String(template.version)} onChange={(event) => setSearch(event.target.value === String(latest) ? {} : { version: event.target.value })}>
            {(template.versions ?? []).map((entry) => (
              <option key={entry.version} value={entry.version}>
                Version {entry.version}
                {entry.version === latest ? ' (current)' : ''}
              </option>
            ))}
          </select>
        </div>
      </div>
      {editable ? (
        <TemplateEditor
          key={template.version}
          template={template}
          onSaved={(saved, created) => {
            toast(created ? `Saved as version ${saved.version}` : 'Nothing changed');
            data.set(saved);
          }}
        />
      ) : (
        <ReadOnlyItems template={template} />
      )}
    </div>
  );
}

function ReadOnlyItems({ template }: { template: ChecklistTemplate }) {
  return (
    <section className="card">
      <h2 className="card__title">{template.title}</h2>
      <ol className="stack">
        {template.items.map((item) => (
          <li key={item.id}>
            <strong>{item.label}</strong> <span className="muted">({TYPE_LABELS[item.type]}{item.required ? ', required' : ', optional'})</span>
            {item.type === 'number' && (
              <span className="muted">
                {' '}
                {item.min ?? '…'} to {item.max ?? '…'} {item.unit ?? ''}
              </span>
            )}
            {item.type === 'choice' && <span className="muted"> {item.options?.join(' / ')}</span>}
            {item.help && <p className="hint">{item.help}</p>}
          </li>
        ))}
      </ol>
    </section>
  );
}

