import { WithStartWorkflowOperation } from '@temporalio/client';
import { and, asc, desc, eq, gt, lt, or, type SQL } from 'drizzle-orm';
import { Router, type Request } from 'express';
import { customers, projects, sites, timeline } from '../../db/schema';
import { serviceWorkflowId } from '../../workflows/ids';
import { CustomerIdKey, ProjectKindKey, ProjectStageKey, SiteIdKey } from '../../workflows/search-attributes';
import type { ServiceProjectInput } from '../../workflows/service/definitions';
import { settledUpdate } from '../../workflows/tasks/definitions';
import { cancelProjectUpdate } from '../../workflows/projects/definitions';
import { allow, currentUser, STAFF } from '../auth';
import { visibleProject } from '../access';
import type { ApiDeps } from '../deps';
import { idFromKey, newId } from '../ids';
import { decodeCursor, page } from '../paging';
import { badRequest, forbidden, notFound, Problem } from '../problem';
import { CancelBody, PageQuery, ProjectBody, ProjectQuery } from '../schemas';
import { projectView, projectViews } from '../views';

export function createProjectsRouter({ database, temporal, config }: ApiDeps): Router {
  const { db } = database;
  const router = Router();

  router.post('/projects', allow(...STAFF), async (req, res) => {
    const user = currentUser(req);
    const body = ProjectBody.parse(req.body);
    if (body.kind === 'sales') throw new Problem(501, 'Not implemented', 'sales projects are not available yet; service projects are');
    const [site] = await db.select().from(sites).where(eq(sites.id, body.siteId));
    const [customer] = await db.select().from(customers).where(eq(customers.id, body.customerId));
    if (!customer) throw badRequest('unknown customer', [{ path: 'customerId', message: `no customer ${body.customerId}` }]);
    if (!site || site.customerId !== customer.id) {
      throw badRequest('unknown site', [{ path: 'siteId', message: `customer ${customer.id} has no site ${body.siteId}` }]);
    }
    const key = req.get('Idempotency-Key');
    const projectId = key ? idFromKey('prj', user.id, key) : newId('prj');
    const workflowId = serviceWorkflowId(projectId);
    const input: ServiceProjectInput = {
      projectId,
      customerId: customer.id,
      siteId: site.id,
      ...(body.title ? { title: body.title } : {}),
      createdBy: { id: user.id, role: user.role, name: user.name },
      policy: config.policy,
    };
    const start = new WithStartWorkflowOperation('serviceProject', {
      workflowId,
      taskQueue: config.taskQueue,
      args: [input],
      // A repeated request with the same key lands on the project it already made.
      workflowIdConflictPolicy: 'USE_EXISTING',
      typedSearchAttributes: [
        { key: ProjectKindKey, value: 'service' },
        { key: ProjectStageKey, value: 'requesting' },
        { key: CustomerIdKey, value: customer.id },
        { key: SiteIdKey, value: site.id },
      ],
    });
    // Answers once the workflow has written its first state, so the view below is complete.
    await temporal.withDeadline(Date.now() + config.updateTimeoutMs, () =>
      temporal.workflow.executeUpdateWithStart(settledUpdate, { args: [{}], startWorkflowOperation: start }),
    );
    const view = await projectView(database, projectId);
    if (!view) throw new Problem(500, 'Internal server error', 'the project did not reach the read model');
    res.status(201).location(`/projects/${projectId}`).json(view);
  });

  router.get('/projects', async (req, res) => {
    const user = currentUser(req);
    const query = ProjectQuery.parse(req.query);
    if (!STAFF.includes(user.role) && user.role !== 'customer') throw forbidden('installers see projects through their tasks');
    const customerId = user.role === 'customer' ? user.customerId : query.customerId;
    if (user.role === 'customer' && query.customerId && query.customerId !== user.customerId) throw forbidden('not your customer account');
    const filters: (SQL | undefined)[] = [
      query.kind ? eq(projects.kind, query.kind) : undefined,
      query.stage ? eq(projects.stage, query.stage) : undefined,
      customerId ? eq(projects.customerId, customerId) : undefined,
    ];
    const after = decodeCursor(query.cursor);
    if (after) filters.push(lt(projects.id, String(after[0])));
    const rows = await db
      .select()
      .from(projects)
      .where(and(...filters))
      .orderBy(desc(projects.id))
      .limit(query.limit + 1);
    const { items, nextCursor } = page(rows, query.limit, (row) => [row.id]);
    res.json({ items: await projectViews(db, items), nextCursor });
  });

  router.get('/projects/:id', async (req, res) => {
    await visibleProject(db, currentUser(req), req.params.id);
    const view = await projectView(database, req.params.id);
    if (!view) throw notFound(`no project ${req.params.id}`);
    res.json(view);
  });

  router.get('/projects/:id/timeline', async (req, res) => {
    await visibleProject(db, currentUser(req), req.params.id);
    const query = PageQuery.parse(req.query);
    const after = decodeCursor(query.cursor);
    const rows = await db
      .select()
      .from(timeline)
      .where(
        and(
          eq(timeline.projectId, req.params.id),
          after ? or(gt(timeline.at, new Date(String(after[0]))), and(eq(timeline.at, new Date(String(after[0]))), gt(timeline.seq, Number(after[1])))) : undefined,
        ),
      )
      .orderBy(asc(timeline.at), asc(timeline.seq))
      .limit(query.limit + 1);
    const { items, nextCursor } = page(rows, query.limit, (row) => [row.at.toISOString(), row.seq]);
    res.json({
      items: items.map((row) => ({
        id: row.id,
        projectId: row.projectId,
        ...(row.jobId ? { jobId: row.jobId } : {}),
        at: row.at.toISOString(),
        kind: row.kind,
        actor: { id: row.actorId ?? 'system', role: row.actorRole ?? 'system' },
        summary: row.summary,
        ...(row.data ? { data: row.data } : {}),
      })),
      nextCursor,
    });
  });

  router.post('/projects/:id/cancel', allow('supervisor', 'admin'), async (req: Request<{ id: string }>, res) => {
    const user = currentUser(req);
    const { reason } = CancelBody.parse(req.body);
    const row = await visibleProject(db, user, req.params.id);
    await temporal.withDeadline(Date.now() + config.updateTimeoutMs, () =>
      temporal.workflow.getHandle(row.workflowId).executeUpdate(cancelProjectUpdate, { args: [{ reason, actor: { id: user.id, role: user.role, name: user.name } }] }),
    );
    res.json(await projectView(database, row.id));
  });

  return router;
}
