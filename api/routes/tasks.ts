import crypto from 'node:crypto';
import { and, desc, eq, inArray, lt, or, type SQL } from 'drizzle-orm';
import { Router } from 'express';
import { documents, tasks } from '../../db/schema';
import { parseTaskPayload, taskType } from '../../workflows/tasks/catalogue';
import { WorkflowNotFoundError } from '@temporalio/client';
import { completeTaskUpdate, settledUpdate, type CompleteTaskRequest, type CompleteTaskResult } from '../../workflows/tasks/definitions';
import { currentUser, type User } from '../auth';
import { installerGroup, myAssignees, visibleProject } from '../access';
import type { ApiDeps } from '../deps';
import { decodeCursor, page } from '../paging';
import { badRequest, forbidden, notFound } from '../problem';
import { TaskQuery } from '../schemas';
import { findTaskRow, isClosedOrNotOpen, projectView, taskFromWorkflow, taskRowToTask, taskView } from '../views';

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
    // Whether the task is still open is the workflow's word, never the read model's: the
    // read model may be behind, and the update's validator refuses what is not open.
    const parsed = parseTaskPayload(row.type, req.body ?? {});
    if (!parsed.ok) throw badRequest(`the payload does not fit a ${row.type} task`, parsed.errors);
    await checkDocuments(row.projectId, parsed.payload.documentIds);

    // Temporal keeps one outcome per update id in a run; the workflow remembers recent
    // ones across continue-as-new, and the read model keeps the key once it is closed.
    const updateId = key ? `${row.id}:${key}` : crypto.randomUUID();
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
    res.json({ task: taskFromWorkflow(result.task), project });
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
