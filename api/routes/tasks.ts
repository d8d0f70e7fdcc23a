import crypto from 'node:crypto';
import { and, count, eq, getTableColumns, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { Router } from 'express';
import { assets, customers, documents, jobs, projects, sites, tasks } from '../../db/schema';
import { protocolGaps, type Protocol } from '../../workflows/jobs/definitions';
import { parseTaskPayload, taskType } from '../../workflows/tasks/catalogue';
import { WorkflowNotFoundError } from '@temporalio/client';
import { completeTaskUpdate, settledUpdate, type CompleteTaskRequest, type CompleteTaskResult } from '../../workflows/tasks/definitions';
import { currentUser, type User } from '../auth';
import { idempotencyKey, keyedResource } from '../idempotency';
import { authorize, can, installerTaskScope, isStaff, myAssigneesWithGroups, myTasksCondition, taskFacts, visibleProject } from '../access';
import { isEnabledInstaller } from './jobs';
import { nameOf } from './routing';
import type { ApiDeps } from '../deps';
import { page } from '../paging';
import { sorting, TOTAL_CAP, totalOf, type SortKey } from '../lists';
import { badRequest, conflict, fieldsDetail, forbidden, notFound, Problem } from '../problem';
import { TaskQuery } from '../schemas';
import { checkAnswers, documentIdsOf, isChecklistType, type ChecklistItem } from '../checklists/items';
import { findTemplate, payloadSchema } from '../checklists/store';
import { findTaskRow, isClosedOrNotOpen, projectView, taskFromWorkflow, taskRowToTask, taskView } from '../views';

/** The columns the tasks list sorts by (`?sort=`); a task without a due time sorts after every due one. */
const TASK_SORTS = {
  created: { expression: sql`${tasks.createdAt}`, type: 'timestamptz', defaultOrder: 'desc' },
  due: { expression: sql`coalesce(${tasks.dueAt}, 'infinity'::timestamptz)`, type: 'timestamptz', defaultOrder: 'asc' },
} satisfies Record<string, SortKey>;

export function createTasksRouter({ database, temporal, config }: ApiDeps): Router {
  const { db } = database;
  const router = Router();

  router.get('/tasks', async (req, res) => {
    const user = currentUser(req);
    const query = TaskQuery.parse(req.query);
    authorize(user, 'list', { kind: 'tasks' }, 'customers have no tasks');
    if (query.projectId && user.role !== 'installer') await visibleProject(db, user, query.projectId);
    const filters: (SQL | undefined)[] = [
      query.projectId ? eq(tasks.projectId, query.projectId) : undefined,
      query.status ? eq(tasks.status, query.status) : undefined,
      query.type ? eq(tasks.type, query.type) : undefined,
    ];
    if (user.role === 'installer') {
      // Installers only ever see their own work and the open offers, whatever they ask for.
      const scope = installerTaskScope(db, user);
      filters.push(or(eq(tasks.assignee, user.id), scope.inMine, scope.inOffers));
    } else if (query.assignee === 'me') filters.push(myTasksCondition(user, await myAssigneesWithGroups(db, user)));
    else if (query.assignee) filters.push(eq(tasks.assignee, query.assignee));
    if (query.overdue === 'true') filters.push(eq(tasks.status, 'open'), lt(tasks.dueAt, sql`now()`));
    const sort = sorting(TASK_SORTS[query.sort], tasks.id, query.order, query.cursor);
    const [rows, [{ counted }]] = await Promise.all([
      // Each row with its project's title, customer and site, and its job: the inbox's page in one request.
      db
        .select({
          ...getTableColumns(tasks),
          sortValue: sort.cursorValue,
          projectTitle: projects.title,
          customerName: customers.name,
          siteAddress: sites.address,
          jobType: jobs.type,
          jobSequence: jobs.sequence,
          jobStatus: jobs.status,
          jobStart: jobs.scheduledStart,
          jobEnd: jobs.scheduledEnd,
          jobInstallerId: jobs.installerId,
        })
        .from(tasks)
        .leftJoin(projects, eq(projects.id, tasks.projectId))
        .leftJoin(customers, eq(customers.id, projects.customerId))
        .leftJoin(sites, eq(sites.id, projects.siteId))
        .leftJoin(jobs, eq(jobs.id, tasks.jobId))
        .where(and(...filters, sort.after))
        .orderBy(...sort.orderBy)
        .limit(query.limit + 1),
      db.select({ counted: count() }).from(db.select({ one: sql`1` }).from(tasks).where(and(...filters)).limit(TOTAL_CAP + 1).as('matches')),
    ]);
    const { items, nextCursor } = page(rows, query.limit, (row) => [row.sortValue, row.id]);
    const staff = isStaff(user);
    const listed = items.map(({ sortValue: _sortValue, projectTitle, customerName, siteAddress, jobType, jobSequence, jobStatus, jobStart, jobEnd, jobInstallerId, ...row }) => ({
      ...taskView(row),
      ...(projectTitle ? { projectTitle } : {}),
      // The customer is the office's to name; an installer's list shows the place.
      ...(staff && customerName ? { customerName } : {}),
      ...(siteAddress ? { siteAddress } : {}),
      ...(jobType && jobSequence !== null && jobStatus
        ? {
            job: {
              type: jobType,
              sequence: jobSequence,
              status: jobStatus as 'open' | 'prepared' | 'done',
              ...(jobStart ? { scheduledStart: jobStart.toISOString() } : {}),
              ...(jobEnd ? { scheduledEnd: jobEnd.toISOString() } : {}),
              // An offer's readers learn that nobody has it, not who might.
              ...(jobInstallerId && (staff || jobInstallerId === user.id) ? { installerId: jobInstallerId } : {}),
            },
          }
        : {}),
    }));
    res.json({ items: listed, nextCursor, ...totalOf(counted) });
  });

  router.get('/tasks/:id', async (req, res) => {
    const row = await findTask(req.params.id);
    authorize(currentUser(req), 'read', { kind: 'task', task: await taskFacts(db, row) }, 'this task is not yours');
    const template = await templateOf(row);
    res.json({ ...taskView(row), ...(template ? { templateVersion: template.version } : {}), schema: payloadSchema(row.type, template) });
  });

  router.post('/tasks/:id/complete', async (req, res) => {
    const user = currentUser(req);
    const row = await findTask(req.params.id);
    const key = idempotencyKey(req);
    await mayComplete(user, row, req.body);
    // Whether the task is still open is the workflow's word, never the read model's: the
    // read model may be behind, and the update's validator refuses what is not open.
    const parsed = parseTaskPayload(row.type, req.body ?? {});
    if (!parsed.ok) throw badRequest(fieldsDetail(parsed.errors), parsed.errors);
    await checkChecklist(row, parsed.payload.answers);
    await checkDocuments(row.projectId, parsed.payload.documentIds);
    await checkAssets(row.projectId, parsed.payload.assets);
    await checkProtocol(row);

    // Temporal keeps one outcome per update id in a run; the workflow remembers recent
    // ones across continue-as-new, and the read model keeps the key once it is closed.
    // Scoped to the user too: someone else's key on the same task is not their answer.
    // The body's hash is remembered with the key (per task and user): another body is 422.
    const updateId = key ? await keyedResource(db, `POST /tasks/${row.id}/complete ${user.id}`, key, parsed.payload, `${row.id}:${user.id}:${key}`) : crypto.randomUUID();
    const request: CompleteTaskRequest = {
      taskId: row.id,
      payload: parsed.payload,
      actor: { id: user.id, role: user.role, name: user.name },
      ...(key ? { updateId } : {}),
    };
    const deadline = Date.now() + config.updateTimeoutMs;
    let result: CompleteTaskResult;
    try {
      result = await temporal.withDeadline(deadline, () =>
        temporal.workflow.getHandle(row.workflowId).executeUpdate(completeTaskUpdate, { args: [request], updateId }),
      );
    } catch (err) {
      const first = key && isClosedOrNotOpen(err) ? await answeredBefore(row.id, updateId) : undefined;
      if (!first) throw err;
      result = { task: first };
    }
    if (result.follow) {
      const { workflowId, afterJobId } = result.follow;
      await temporal
        .withDeadline(deadline, () => temporal.workflow.getHandle(workflowId).executeUpdate(settledUpdate, { args: [afterJobId ? { afterJobId } : {}] }))
        .catch((err) => {
          // A follow-on workflow that has closed has settled.
          if (!(err instanceof WorkflowNotFoundError)) throw err;
        });
    }
    const project = await projectView(database, row.projectId);
    // The workflow knows its own assignee; a routed task's person or group is the read model's.
    const task = taskFromWorkflow(result.task);
    res.json({ task: row.routingRuleId && row.assignee ? { ...task, assignee: row.assignee } : task, project });
  });

  /** The task as the completion with this update id left it, if the read model has it. */
  async function answeredBefore(taskId: string, updateId: string) {
    const row = await findTaskRow(database, taskId);
    return row && row.completionKey === updateId ? taskRowToTask(row) : undefined;
  }

  async function findTask(id: string) {
    const row = await findTaskRow(database, id);
    if (!row) throw notFound(`no task ${id}`);
    return row;
  }

  /**
   * The policy's word on completing this task, and the installer a payload names: a real,
   * enabled installer, and for an installer only themselves (no handing work to others).
   */
  async function mayComplete(user: User, row: typeof tasks.$inferSelect, body: unknown) {
    const facts = await taskFacts(db, row);
    if (!can(user, 'complete', { kind: 'task', task: facts })) {
      const definition = taskType(row.type);
      throw forbidden(definition?.roles.includes(user.role) ? 'this task is assigned to someone else' : `a ${user.role} may not complete ${row.type} tasks`);
    }
    // A task someone took from their group is theirs; supervisors and admins may still finish it.
    if (row.status === 'open' && row.claimedBy && row.claimedBy !== user.id && user.role !== 'supervisor' && user.role !== 'admin') {
      throw conflict(`${await nameOf(db, row.claimedBy)} has taken this task`);
    }
    const installerId = (body as { installerId?: unknown } | undefined)?.installerId;
    if (typeof installerId !== 'string') return;
    if (user.role === 'installer' && installerId !== user.id) throw forbidden('an installer takes a job only for themselves');
    if (!(await isEnabledInstaller(db, installerId))) {
      throw badRequest('installerId must be an installer who can work', [{ path: 'installerId', message: `no enabled installer ${installerId}` }]);
    }
  }

  /** Assets named in a payload must be on the project's site: nothing overwrites another site's register. */
  async function checkAssets(projectId: string, list: unknown) {
    if (!Array.isArray(list)) return;
    const named = (list as { assetId?: unknown }[]).map((asset, index) => ({ id: asset?.assetId, index })).filter((entry): entry is { id: string; index: number } => typeof entry.id === 'string');
    if (!named.length) return;
    const [project] = await db.select({ siteId: projects.siteId }).from(projects).where(eq(projects.id, projectId));
    const found = await db
      .select({ id: assets.id })
      .from(assets)
      .where(and(eq(assets.siteId, project?.siteId ?? ''), inArray(assets.id, named.map((entry) => entry.id))));
    const known = new Set(found.map((asset) => asset.id));
    const foreign = named.filter(({ id }) => !known.has(id));
    if (foreign.length) {
      throw badRequest(
        "assets must be on this project's site",
        foreign.map(({ id, index }) => ({ path: `assets.${index}.assetId`, message: `no asset ${id} on this site` })),
      );
    }
  }

  /**
   * Early word on the completion gate: the last open field task of a job needs a whole
   * protocol (a line and a photo). The workflow's validator decides; this saves a round trip.
   */
  async function checkProtocol(row: typeof tasks.$inferSelect) {
    const type = taskType(row.type);
    if (!row.jobId || type?.group !== 'installer' || row.type === 'accept_schedule_job') return;
    const open = await db.select({ id: tasks.id }).from(tasks).where(and(eq(tasks.jobId, row.jobId), eq(tasks.status, 'open')));
    if (open.length !== 1 || open[0]!.id !== row.id) return;
    const [job] = await db.select({ protocol: jobs.protocol }).from(jobs).where(eq(jobs.id, row.jobId));
    const gaps = protocolGaps((job?.protocol as Protocol | null) ?? undefined);
    if (gaps.length) throw new Problem(409, 'Conflict', 'the protocol is not complete', gaps);
  }

  /** The template version a checklist was opened with (none for other tasks, and for checklists from before templates). */
  async function templateOf(row: typeof tasks.$inferSelect) {
    if (row.templateVersion === null || !isChecklistType(row.type)) return undefined;
    return findTemplate(db, row.type, row.templateVersion);
  }

  /** A checklist's answers against its template version: every bad item named at once. */
  async function checkChecklist(row: typeof tasks.$inferSelect, answers: unknown) {
    const template = await templateOf(row);
    if (!template) return;
    const items = template.items as ChecklistItem[];
    const given = (answers ?? {}) as Record<string, unknown>;
    const ids = documentIdsOf(items, given);
    const found = ids.length
      ? await db.select({ id: documents.id, contentType: documents.contentType }).from(documents).where(and(eq(documents.projectId, row.projectId), inArray(documents.id, ids)))
      : [];
    const errors = checkAnswers(items, given, new Map(found.map((doc) => [doc.id, doc.contentType])));
    if (errors.length) throw badRequest(`the answers do not fit version ${template.version} of the ${template.title} checklist`, errors);
  }

  async function checkDocuments(projectId: string, ids: unknown) {
    if (!Array.isArray(ids)) return;
    const found = await db
      .select({ id: documents.id })
      .from(documents)
      .where(and(eq(documents.projectId, projectId), inArray(documents.id, ids as string[])));
    const known = new Set(found.map((doc) => doc.id));
    const missing = (ids as string[]).map((id, index) => ({ id, index })).filter(({ id }) => !known.has(id));
    if (missing.length) {
      throw badRequest(
        'documents must be uploaded to this project first',
        missing.map(({ id, index }) => ({ path: `documentIds.${index}`, message: `no document ${id} on this project` })),
      );
    }
  }

  return router;
}
