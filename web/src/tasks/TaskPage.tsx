// One task: where it belongs, and its form (or who did it). Opened from the inbox.
import { useCallback, useState } from 'react';
import { ApiError } from '../api/client';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { CompleteAnswer, DocumentInfo, Page, Project, Task } from '../api/types';
import { useResource } from '../api/useResource';
import { isStaff, useApi, useSession } from '../auth/session';
import { LiveIndicator } from '../live/LiveIndicator';
import { useLiveChanges } from '../live/useLiveChanges';
import { jobLabel } from '../projects/jobLabel';
import { DueTime, StageBadge } from '../ui/Badges';
import { EmptyState, ErrorNotice, SkeletonRows } from '../ui/EmptyState';
import { formatPerson, formatAssignee, formatDateTime, formatShort, inStaffGroup } from '../ui/format';
import { useToast } from '../ui/Toast';
import { usePageTitle } from '../ui/usePageTitle';
import { ChecklistAnswers, JobChecklists, REVIEW_TYPES, reviewHeading } from './ChecklistAnswers';
import { KnownDocuments } from './PayloadSummary';
import { TaskForm } from './TaskForm';
import { mayComplete, useTaskTypes } from './taskTypes';

export function TaskPage() {
  const { taskId = '' } = useParams();
  const api = useApi();
  const { user } = useSession();
  const navigate = useNavigate();
  const toast = useToast();
  const { byType, loading: typesLoading } = useTaskTypes();
  const staff = isStaff(user.role);
  const [taking, setTaking] = useState(false);

  const data = useResource(
    async (signal) => {
      const task = await api.get<Task>(`/tasks/${encodeURIComponent(taskId)}`, { signal });
      const project = await api.get<Project>(`/projects/${encodeURIComponent(task.projectId)}`, { signal });
      // Names and types of the documents its values name (the office's; an installer reads photos by id).
      const documents = staff ? await api.get<Page<DocumentInfo>>(`/projects/${encodeURIComponent(task.projectId)}/documents`, { signal }).catch(() => undefined) : undefined;
      return { task, project, documents: new Map((documents?.items ?? []).map((doc) => [doc.id, doc])) };
    },
    [taskId],
  );
  const task = data.data?.task;
  const project = data.data?.project;
  const info = task ? byType.get(task.type) : undefined;
  usePageTitle(task?.title ?? 'Task');

  const live = useLiveChanges({ projectId: task?.projectId, enabled: Boolean(task) }, useCallback(() => void data.reload(), [data.reload]));

  const onCompleted = (answer: CompleteAnswer) => {
    toast(`${answer.task.title} completed`);
    navigate(staff ? `/projects/${encodeURIComponent(answer.project.id)}` : '/');
  };

  if (data.error && !data.data) {
    return (
      <div className="page">
        <ErrorNotice error={data.error.status === 404 ? { message: 'This task does not exist.' } : data.error} onRetry={() => void data.reload()} />
      </div>
    );
  }
  if (!task || !project) {
    return (
      <div className="page page--narrow">
        <SkeletonRows rows={5} label="Loading the task" />
      </div>
    );
  }
  const job = jobLabel(project, task.jobId);
  // A task routed to a staff group: its members see it, and one takes it (first come, first served).
  const takenByOther = Boolean(task.claimedBy && task.claimedBy !== user.id);
  const mayTake = task.status === 'open' && !task.claimedBy && inStaffGroup(task.assignee, user.id);
  const overrides = user.role === 'supervisor' || user.role === 'admin';
  const take = async () => {
    setTaking(true);
    try {
      await api.post<Task>(`/tasks/${encodeURIComponent(task.id)}/claim`);
      toast(`You have taken ${task.title}`);
    } catch (err) {
      toast(err instanceof ApiError && err.status === 409 ? `Not taken: ${err.message}` : err instanceof Error ? err.message : String(err));
    } finally {
      setTaking(false);
      void data.reload();
    }
  };
  const scheduled = project.jobs.find((candidate) => candidate.id === task.jobId)?.scheduledStart;

  return (
    <KnownDocuments.Provider value={data.data?.documents ?? new Map()}>
      <div className="page page--narrow">
        <nav aria-label="Breadcrumb" className="breadcrumb">
          <Link to="/">{staff ? 'Inbox' : 'My jobs'}</Link> <span aria-hidden="true">›</span> <span aria-current="page">{task.title}</span>
        </nav>
        <div className="page-head">
          <div>
            <h1>{task.title}</h1>
            <p className="page-head__sub">
              {staff ? <Link to={`/projects/${encodeURIComponent(project.id)}`}>{project.title ?? project.id}</Link> : <span>{project.title ?? project.id}</span>}
              {job && (
                <span>
                  {' · '}
                  <Link to={`/jobs/${encodeURIComponent(task.jobId!)}`}>{job}</Link>
                </span>
              )}
              {scheduled && <span> · scheduled {formatShort(scheduled)}</span>}
            </p>
          </div>
          <LiveIndicator status={live} />
        </div>
        <dl className="facts">
          <div>
            <dt>Stage</dt>
            <dd>
              <StageBadge stage={task.stage} />
            </dd>
          </div>
          <div>
            <dt>Due</dt>
            <dd>
              <DueTime dueAt={task.dueAt} />
            </dd>
          </div>
          <div>
            <dt>Assigned to</dt>
            <dd>{formatAssignee(task.assignee, user.id)}</dd>
          </div>
          {task.claimedBy && (
            <div>
              <dt>Taken by</dt>
              <dd data-testid="task-holder">{formatPerson(task.claimedBy, user.id)}</dd>
            </div>
          )}
        </dl>
        {mayTake && (
          <div className="card stack" data-testid="take-task">
            <p>This task is for everyone in {formatAssignee(task.assignee, user.id)}. Take it to make it yours; the others then see that you have it.</p>
            <div>
              <button type="button" className="button button--primary" disabled={taking} onClick={() => void take()}>
                {taking ? 'Taking…' : 'Take it'}
              </button>
            </div>
          </div>
        )}

        {staff && reviewHeading(task.type) && (
          <section className="card" aria-labelledby="job-checklists-heading">
            <h2 id="job-checklists-heading" className="card__title">
              {reviewHeading(task.type)}
            </h2>
            <JobChecklists projectId={task.projectId} jobId={REVIEW_TYPES.has(task.type) ? task.jobId : undefined} />
          </section>
        )}

        <section className="card" aria-labelledby="task-form-heading">
          <h2 id="task-form-heading" className="card__title">
            {task.status === 'open' ? 'Complete the task' : task.status === 'done' ? 'What was entered' : 'Cancelled'}
          </h2>
          {task.status !== 'open' ? (
            <div className="stack" data-testid="done-task">
              <p>
                {task.status === 'done' ? 'Completed' : 'Cancelled'} {formatDateTime(task.completedAt)}
                {task.completedBy && ` by ${formatPerson(task.completedBy, user.id)}`}. <span className="muted">This task is closed: what was entered can be read, not changed.</span>
              </p>
              {task.status === 'done' && (Object.keys(task.payload ?? {}).length ? <ChecklistAnswers task={task} /> : <p className="muted">Nothing was entered: the task was confirmed as done.</p>)}
            </div>
          ) : typesLoading ? (
            <SkeletonRows rows={3} label="Loading the form" />
          ) : !info ? (
            <EmptyState title="Unknown task type">This console does not know the task type {task.type} yet.</EmptyState>
          ) : takenByOther && !overrides ? (
            <p className="muted">{formatPerson(task.claimedBy, user.id)} has taken this task: they complete it.</p>
          ) : mayComplete(info, user.role) ? (
            <TaskForm task={task} info={info} onCompleted={onCompleted} />
          ) : (
            <p className="muted">Waiting for {formatAssignee(task.assignee, user.id)}: a {user.role} cannot complete this task.</p>
          )}
        </section>
      </div>
    </KnownDocuments.Provider>
  );
}
