// GET /supervisor/overview: what a supervisor watches, in one request. The workload of
// each person and group (open tasks, how many overdue or escalated by the kernel's
// deadlines), the overdue work itself, and the service orders waiting for approval.
// All of it from the read model: the kernel marks a task overdue and escalated there
// when its deadlines fire.
import { Router } from 'express';
import { taskType } from '../../workflows/tasks/catalogue';
import { authorize } from '../access';
import { currentUser } from '../auth';
import type { ApiDeps } from '../deps';
import type { SupervisorOverview } from '../supervision-schemas';

/** How many overdue tasks and approvals the overview lists (the counts are complete). */
export const OVERVIEW_LIST_LIMIT = 100;

const groupNames: Record<string, string> = {
  'group:ops': 'Operations team',
  'group:supervisor': 'Supervisors',
  'group:installer': 'Installers',
  'group:admin': 'Admins',
};

// Field tasks wait on the installers' group until a job has its installer: from then on
// they are that installer's work. A task someone took from their group is theirs.
const OPEN_WORK = `
  SELECT t.id, t.type, t.project_id, t.assignee, t.created_at, t.due_at, t.overdue_at, t.escalated_at,
    coalesce(t.claimed_by, CASE WHEN t.assignee = 'group:installer' AND j.installer_id IS NOT NULL THEN j.installer_id ELSE coalesce(t.assignee, 'group:ops') END) AS who,
    (t.overdue_at IS NOT NULL OR t.due_at < now()) AS overdue,
    (t.escalated_at IS NOT NULL) AS escalated
  FROM tasks t LEFT JOIN jobs j ON j.id = t.job_id
  WHERE t.status = 'open'`;

const WORKLOAD = `
WITH work AS (${OPEN_WORK}),
by_who AS (
  SELECT who, count(*)::int AS open, (count(*) FILTER (WHERE overdue))::int AS overdue, (count(*) FILTER (WHERE escalated))::int AS escalated
  FROM work GROUP BY who
)
SELECT coalesce(u.id, b.who) AS who, u.name, u.role, coalesce(b.open, 0) AS open, coalesce(b.overdue, 0) AS overdue, coalesce(b.escalated, 0) AS escalated
FROM by_who b
FULL JOIN (SELECT id, name, role FROM users WHERE role <> 'customer' AND disabled_at IS NULL) u ON u.id = b.who
ORDER BY coalesce(b.overdue, 0) DESC, coalesce(b.open, 0) DESC, u.name`;

const STAFF_GROUPS = `
SELECT g.id, g.name, coalesce(json_agg(m.user_id) FILTER (WHERE m.user_id IS NOT NULL), '[]'::json) AS member_ids
FROM staff_groups g LEFT JOIN staff_group_members m ON m.group_id = g.id
GROUP BY g.id, g.name ORDER BY g.name`;

const WORK_ITEM_COLUMNS = `w.id AS task_id, w.type, w.project_id, p.title AS project_title, c.name AS customer_name, w.assignee,
  coalesce(u.name, g.name, w.who) AS assignee_name, w.created_at, w.due_at, w.overdue_at, w.escalated_at`;

const OVERDUE = `
WITH work AS (${OPEN_WORK})
SELECT ${WORK_ITEM_COLUMNS}
FROM work w JOIN projects p ON p.id = w.project_id JOIN customers c ON c.id = p.customer_id LEFT JOIN users u ON u.id = w.who LEFT JOIN staff_groups g ON 'group:' || g.id = w.who
WHERE w.overdue
ORDER BY w.escalated DESC, w.due_at ASC NULLS LAST, w.id
LIMIT ${OVERVIEW_LIST_LIMIT}`;

// Why an order waits: the kernel's "Approval needed" timeline entry carries the reason.
const APPROVALS = `
WITH work AS (${OPEN_WORK} AND t.type = 'approve_service_order')
SELECT ${WORK_ITEM_COLUMNS}, why.data->>'reason' AS reason, (why.data->>'estimateCents')::bigint AS estimate_cents
FROM work w JOIN projects p ON p.id = w.project_id JOIN customers c ON c.id = p.customer_id LEFT JOIN users u ON u.id = w.who LEFT JOIN staff_groups g ON 'group:' || g.id = w.who
LEFT JOIN LATERAL (
  SELECT e.data FROM timeline e WHERE e.project_id = w.project_id AND e.kind = 'task' AND e.data ? 'reason' AND e.at <= w.created_at
  ORDER BY e.at DESC, e.seq DESC LIMIT 1
) why ON true
ORDER BY w.created_at ASC, w.id
LIMIT ${OVERVIEW_LIST_LIMIT}`;

const TOTALS = `
WITH work AS (${OPEN_WORK})
SELECT count(*)::int AS open, (count(*) FILTER (WHERE overdue))::int AS overdue, (count(*) FILTER (WHERE escalated))::int AS escalated,
  (count(*) FILTER (WHERE type = 'approve_service_order'))::int AS approvals
FROM work`;

interface WorkloadRow {
  who: string;
  name: string | null;
  role: string | null;
  open: number;
  overdue: number;
  escalated: number;
}

interface WorkItemRow {
  task_id: string;
  type: string;
  project_id: string;
  project_title: string | null;
  customer_name: string;
  assignee: string | null;
  assignee_name: string;
  created_at: Date | string;
  due_at: Date | string | null;
  overdue_at: Date | string | null;
  escalated_at: Date | string | null;
  reason?: string | null;
  estimate_cents?: number | string | null;
}

const iso = (value: Date | string) => new Date(value).toISOString();
const optionalIso = (name: string, value: Date | string | null) => (value ? { [name]: iso(value) } : {});

function workItem(row: WorkItemRow) {
  return {
    taskId: row.task_id,
    type: row.type,
    title: taskType(row.type)?.title ?? row.type,
    projectId: row.project_id,
    ...(row.project_title ? { projectTitle: row.project_title } : {}),
    customerName: row.customer_name,
    ...(row.assignee ? { assignee: row.assignee } : {}),
    assigneeName: groupNames[row.assignee_name] ?? row.assignee_name,
    createdAt: iso(row.created_at),
    ...optionalIso('dueAt', row.due_at),
    ...optionalIso('overdueAt', row.overdue_at),
    ...optionalIso('escalatedAt', row.escalated_at),
  };
}

export function createSupervisorRouter({ database }: ApiDeps): Router {
  const router = Router();

  router.get('/supervisor/overview', async (req, res) => {
    authorize(currentUser(req), 'read', { kind: 'supervision' }, 'the overview is for supervisors and admins');
    const [workload, overdue, approvals, [totals], staffGroups] = await Promise.all([
      database.query<WorkloadRow>(WORKLOAD, []),
      database.query<WorkItemRow>(OVERDUE, []),
      database.query<WorkItemRow>(APPROVALS, []),
      database.query<SupervisorOverview['totals']>(TOTALS, []),
      database.query<{ id: string; name: string; member_ids: string[] }>(STAFF_GROUPS, []),
    ]);
    const people = workload
      .filter((row) => !row.who.startsWith('group:'))
      .map((row) => ({ assignee: row.who, name: row.name ?? row.who, ...(row.role ? { role: row.role } : {}), open: row.open, overdue: row.overdue, escalated: row.escalated }));
    // The staff groups routing rules send work to (admin-managed), after the roles' teams.
    const routed = staffGroups.map((group) => {
      const queue = workload.find((row) => row.who === `group:${group.id}`);
      return {
        assignee: `group:${group.id}`,
        name: group.name,
        open: queue?.open ?? 0,
        overdue: queue?.overdue ?? 0,
        escalated: queue?.escalated ?? 0,
        members: people.filter((person) => group.member_ids.includes(person.assignee)).reduce((sum, person) => sum + person.open, 0),
      };
    });
    const groups = ['group:ops', 'group:supervisor', 'group:installer'].map((group) => {
      const queue = workload.find((row) => row.who === group);
      const role = group.slice('group:'.length);
      return {
        assignee: group,
        name: groupNames[group]!,
        role,
        open: queue?.open ?? 0,
        overdue: queue?.overdue ?? 0,
        escalated: queue?.escalated ?? 0,
        members: people.filter((person) => person.role === role).reduce((sum, person) => sum + person.open, 0),
      };
    });
    const answer: SupervisorOverview = {
      totals: totals ?? { open: 0, overdue: 0, escalated: 0, approvals: 0 },
      people,
      groups: [...groups, ...routed],
      overdue: overdue.map(workItem),
      approvals: approvals.map((row) => ({
        ...workItem(row),
        ...(row.reason ? { reason: row.reason } : {}),
        ...(row.estimate_cents !== null && row.estimate_cents !== undefined ? { estimateCents: Number(row.estimate_cents) } : {}),
      })),
    };
    res.json(answer);
  });

  return router;
}
