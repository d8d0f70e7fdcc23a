// One project: where it stands, what is open (with forms), its jobs, documents and
// timeline. Any change to it, made anywhere, shows here within a moment.
import { useCallback, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useDocumentsChanged } from '../api/documentEvents';
import type { CompleteAnswer, DocumentInfo, Page, Project, Settings, Task, TimelineEntry } from '../api/types';
import { useResource } from '../api/useResource';
import { useApi, useSession } from '../auth/session';
import { LiveIndicator } from '../live/LiveIndicator';
import { useProjectChangesSource } from '../live/ProjectChanges';
import { useLiveChanges } from '../live/useLiveChanges';
import { StatusBadge, statusMeaning, statusText } from '../ui/Badges';
import { ErrorNotice, SkeletonRows } from '../ui/EmptyState';
import { useToast } from '../ui/Toast';
import { usePageTitle } from '../ui/usePageTitle';
import { CustomerLink, SiteLink } from '../customers/CustomerLink';
import { CaseThread } from '../messages/CaseThread';
import { KnownDocuments } from '../tasks/PayloadSummary';
import { CancelProject } from './CancelProject';
import { Documents } from './Documents';
import { DoneTasks } from './DoneTasks';
import { InvoiceDraftLink } from './InvoiceDraftLink';
import { Jobs } from './Jobs';
import { OpenTasks } from './OpenTasks';
import { SalesDesignCard } from './SalesDesignCard';
import { SiteAssets } from './SiteAssets';
import { StageProgress } from './StageProgress';
import { isFinished } from './stages';
import { Timeline } from './Timeline';
import { useDirectory } from './useCustomers';

export function ProjectPage() {
  const { projectId = '' } = useParams();
  const api = useApi();
  const { user } = useSession();
  const toast = useToast();
  const base = `/projects/${encodeURIComponent(projectId)}`;

  const project = useResource((signal) => api.get<Project>(base, { signal }), [projectId]);
  const timeline = useResource((signal) => api.get<Page<TimelineEntry>>(`${base}/timeline`, { query: { limit: 500 }, signal }), [projectId]);
  const tasks = useResource((signal) => api.get<Page<Task>>('/tasks', { query: { projectId, limit: 200 }, signal }), [projectId]);
  const documents = useResource((signal) => api.get<Page<DocumentInfo>>(`${base}/documents`, { signal }), [projectId]);
  const settings = useResource((signal) => (user.role === 'admin' ? api.get<Settings>('/settings', { signal }) : Promise.resolve(undefined)), [user.role]);
  useDocumentsChanged(projectId, () => void documents.reload());
  const view = project.data;
  const directory = useDirectory(view ? [view.customerId] : []);
  usePageTitle(view?.title ?? 'Project');

  const [changes, setChanges] = useState(0);
  const refresh = useCallback(() => {
    setChanges((count) => count + 1);
    void project.reload();
    void timeline.reload();
    void tasks.reload();
  }, [projectId, project.reload, timeline.reload, tasks.reload]);
  const live = useLiveChanges({ projectId, enabled: Boolean(view) }, (notices) => {
    refresh();
    changesSource.publish(notices);
  });
  // The case's thread follows this page's stream rather than opening a second one.
  const changesSource = useProjectChangesSource(projectId, live);

  const onCompleted = (answer: CompleteAnswer) => {
    project.set(answer.project);
    toast(`${answer.task.title} completed`);
    refresh();
    void documents.reload();
  };

  if (project.error && !view) {
    return (
      <div className="page">
        <ErrorNotice error={project.error.status === 404 ? { message: 'There is no such project.' } : project.error} onRetry={() => void project.reload()} />
      </div>
    );
  }
  if (!view) {
    return (
      <div className="page">
        <SkeletonRows rows={6} label="Loading the project" />
      </div>
    );
  }

  const knownDocuments = new Map((documents.data?.items ?? []).map((doc) => [doc.id, doc]));
  const customer = directory.customers.get(view.customerId);
  const site = directory.sites.get(view.siteId);
  const temporalUi = settings.data?.temporalUiUrl;
  const workflowUrl = temporalUi && `${temporalUi.replace(/\/$/, '')}/namespaces/${encodeURIComponent(settings.data!.temporalNamespace)}/workflows/${encodeURIComponent(view.workflowId)}`;

  const mayCancel = user.role === 'supervisor' || user.role === 'admin';

  return (
    <div className="page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/projects">Projects</Link> <span aria-hidden="true">›</span> <span aria-current="page">{view.title ?? view.id}</span>
      </nav>
      <div className="page-head">
        <div>
          <h1>{view.title ?? 'Untitled project'}</h1>
          <p className="page-head__sub muted">
            <CustomerLink id={view.customerId} name={customer?.name} /> · <SiteLink id={view.siteId} address={site?.address ?? view.siteAddress} /> · <span className="mono">{view.id}</span>
          </p>
          <p className="muted small" data-testid="status-meaning">
            {statusText[view.customerStatus ?? view.status]}: {statusMeaning[view.customerStatus ?? view.status]}
          </p>
        </div>
        <div className="page-head__actions">
          <LiveIndicator status={live} />
          <StatusBadge status={view.customerStatus ?? view.status} />
          {workflowUrl && (
            <a className="button button--small" href={workflowUrl} target="_blank" rel="noreferrer">
              Workflow in Temporal UI<span className="visually-hidden"> (opens in a new tab)</span> ↗
            </a>
          )}
        </div>
      </div>

      <section className="card" aria-label="Stage progress">
        <StageProgress project={view} timeline={timeline.data?.items ?? []} />
      </section>

      {mayCancel && !isFinished(view.stage) && (
        <CancelProject
          project={view}
          onCancelled={(answer) => {
            project.set(answer);
            toast(`${answer.title ?? answer.id} cancelled`);
            refresh();
          }}
        />
      )}

      <KnownDocuments.Provider value={knownDocuments}>
        <div className="project-grid">
          <div className="stack">
            <section className="card" aria-labelledby="open-tasks-heading">
              <h2 id="open-tasks-heading" className="card__title">
                Open tasks <span className="count">{view.openTasks.length}</span>
              </h2>
              <OpenTasks project={view} onCompleted={onCompleted} />
            </section>
            <section className="card" aria-labelledby="done-tasks-heading">
              <h2 id="done-tasks-heading" className="card__title">
                Completed tasks <span className="count">{(tasks.data?.items ?? []).filter((task) => task.status === 'done').length}</span>
              </h2>
              {tasks.data ? <DoneTasks tasks={tasks.data.items} meId={user.id} /> : <SkeletonRows rows={2} label="Loading the completed tasks" />}
            </section>
            <section className="card" aria-labelledby="jobs-heading">
              <h2 id="jobs-heading" className="card__title">
                Site jobs <span className="count">{view.jobs.length}</span>
              </h2>
              {view.kind === 'service' && view.jobs.length > 0 && <InvoiceDraftLink projectId={view.id} />}
              <Jobs jobs={view.jobs} tasks={tasks.data?.items ?? view.openTasks} meId={user.id} projectId={view.id} changes={changes} timeline={timeline.data?.items ?? []} />
            </section>
          </div>
          <div className="stack">
            {view.kind === 'service' && (
              <changesSource.Provider value={changesSource.value}>
                <CaseThread projectId={view.id} />
              </changesSource.Provider>
            )}
            {view.kind === 'sales' && (
              <section className="card" aria-labelledby="design-heading">
                <h2 id="design-heading" className="card__title">
                  Design and proposals
                </h2>
                <SalesDesignCard timeline={timeline.data?.items} />
              </section>
            )}
            <section className="card" aria-labelledby="assets-heading">
              <h2 id="assets-heading" className="card__title">
                Site equipment
              </h2>
              <SiteAssets siteId={view.siteId} projectId={view.id} changes={timeline.data?.items.length ?? 0} />
            </section>
            <section className="card" aria-labelledby="documents-heading">
              <h2 id="documents-heading" className="card__title">
                Documents <span className="count">{documents.data?.items.length ?? 0}</span>
              </h2>
              <Documents projectId={view.id} documents={documents.data?.items ?? []} loading={documents.loading} meId={user.id} />
            </section>
            <section className="card" aria-labelledby="timeline-heading">
              <h2 id="timeline-heading" className="card__title">
                Timeline
              </h2>
              {timeline.data ? <Timeline entries={timeline.data.items} meId={user.id} /> : <SkeletonRows rows={3} label="Loading the timeline" />}
            </section>
          </div>
        </div>
      </KnownDocuments.Provider>
    </div>
  );
}
