import crypto from 'node:crypto';
import { and, desc, eq, inArray, lt, or, type SQL } from 'drizzle-orm';
import { Router } from 'express';
import { documents, tasks } from '../../db/schema';
import { parseTaskPayload, taskType } from '../../workflows/tasks/catalogue';
import { completeTaskUpdate, settledUpdate, type CompleteTaskRequest } from '../../workflows/tasks/definitions';
import { currentUser, type User } from '../auth';
import { installerGroup, myAssignees, visibleProject } from '../access';
import type { ApiDeps } from '../deps';
import { decodeCursor, page } from '../paging';
import { badRequest, conflict, forbidden, notFound } from '../problem';
import { TaskQuery } from '../schemas';
import { findTaskRow, projectViewWithTask, taskView } from '../views';

export function createTasksRouter({ database, temporal, config }: ApiDeps): Router {
  const { db } = database;
  const router = Router();

  router.get('/tasks', async (req, res) => {
    const user = currentUser(req);
    const query = TaskQuery.parse(req.query);
    if (user.role === 'customer') throw forbidden('customers have no tasks');
    if (query.projectId) await visibleProject(db, user, query.projectId);
    const filters: (SQL | undefined)[] = [
      query.projectId ? eq(tasks.projectId, query.projectId) : undefined,
      query.status ? eq(tasks.status, query.status) : undefined,
      query.type ? eq(tasks.type, query.type) : undefined,
    ];
    // Installers only ever see their own work, whatever they ask for.
    if (query.assignee === 'me' || user.role === 'installer') filters.push(inArray(tasks.assignee, myAssignees(user)));
    else if (query.assignee) filters.push(eq(tasks.assignee, query.assignee));
    const after = decodeCursor(query.cursor);
    if (after) {
      const at = new Date(String(after[0]));
      filters.push(or(lt(tasks.createdAt, at), and(eq(tasks.createdAt, at), lt(tasks.id, String(after[1])))));
    }
    const rows = await db
      .select()
      .from(tasks)
      .where(and(...filters))
      .orderBy(desc(tasks.createdAt), desc(tasks.id))
      .limit(query.limit + 1);
    const { items, nextCursor } = page(rows, query.limit, (row) => [row.createdAt.toISOString(), row.id]);
    res.json({ items: items.map(taskView), nextCursor });
  });

  router.get('/tasks/:id', async (req, res) => {
    const row = await findTask(req.params.id);
    await visibleProject(db, currentUser(req), row.projectId);
    res.json(taskView(row));
  });

  router.post('/tasks/:id/complete', async (req, res) => {
    const user = currentUser(req);
    const row = await findTask(req.params.id);
    mayComplete(user, row);
    const key = req.get('Idempotency-Key');
    // A task that is no longer open may have been closed by this very request, sent
    // before: with a key, ask the workflow, which answers a repeated update id with the
    // first outcome and refuses anything else as not open.
    if (row.status !== 'open' && !key) throw conflict(`task ${row.id} is ${row.status}, not open`);
    const parsed = parseTaskPayload(row.type, req.body ?? {});
    if (!parsed.ok) throw badRequest(`the payload does not fit a ${row.type} task`, parsed.errors);
    await checkDocuments(row.projectId, parsed.payload.documentIds);

    const request: CompleteTaskRequest = { taskId: row.id, payload: parsed.payload, actor: { id: user.id, role: user.role, name: user.name } };
    // Temporal keeps one outcome per update id in a run, so retries of the same key
    // (scoped to the task) share one effect.
    const updateId = key ? `${row.id}:${key}` : crypto.randomUUID();
    const deadline = Date.now() + config.updateTimeoutMs;
    const result = await temporal.withDeadline(deadline, () =>
      temporal.workflow.getHandle(row.workflowId).executeUpdate(completeTaskUpdate, { args: [request], updateId }),
    );
    if (result.follow) {
      const { workflowId, afterJobId } = result.follow;
      await temporal.withDeadline(deadline, () =>
        temporal.workflow.getHandle(workflowId).executeUpdate(settledUpdate, { args: [afterJobId ? { afterJobId } : {}] }),
      );
    }
    const { task, project } = await projectViewWithTask(database, row.projectId, row.id);
    res.json({ task: taskView(task ?? row), project });
  });

  async function findTask(id: string) {
    const row = await findTaskRow(database, id);
    if (!row) throw notFound(`no task ${id}`);
    return row;
  }

  function mayComplete(user: User, row: typeof tasks.$inferSelect) {
    const definition = taskType(row.type);
    if (!definition || !definition.roles.includes(user.role)) throw forbidden(`a ${user.role} may not complete ${row.type} tasks`);
    if (user.role === 'installer' && row.assignee !== user.id && row.assignee !== installerGroup) {
      throw forbidden('this task is assigned to someone else');
    }
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
