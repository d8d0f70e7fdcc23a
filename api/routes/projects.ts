import { WorkflowNotFoundError } from '@temporalio/client';
import { and, asc, count, eq, exists, getTableColumns, gt, inArray, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import { Router, type Request } from 'express';
import { cases, customers, jobs, projects, siteReservations, sites, tasks, timeline } from '../../db/schema';
import { salesWorkflowId } from '../../workflows/ids';
import { cancelProjectUpdate } from '../../workflows/projects/definitions';
import { currentUser } from '../auth';
import { idempotencyKey, keyedResource } from '../idempotency';
import { authorize, can, isStaff, myAssigneesWithGroups, myTasksCondition, projectFacts, visibleProject } from '../access';
import { sorting, TOTAL_CAP, totalOf, type SortKey } from '../lists';
import { customerStatusFilter, customerStatusSql } from '../customer-status';
import type { ApiDeps } from '../deps';
import { newId } from '../ids';
import { cursorTime, decodeCursor, page } from '../paging';
import { badRequest, conflict, forbidden, notFound } from '../problem';
import { startProject } from '../start-project';
import { CancelBody, PageQuery, ProjectBody, ProjectQuery, type projectSorts } from '../schemas';
import { offerView, projectView, projectViewFor, projectViews, timelineFor } from '../views';

/** The columns the projects list sorts by (`?sort=`), each with its index-friendly expression. */
const PROJECT_SORTS: Record<(typeof projectSorts)[number], SortKey> = {
  created: { expression: sql`${projects.createdAt}`, type: 'timestamptz', defaultOrder: 'desc' },
  updated: { expression: sql`${projects.updatedAt}`, type: 'timestamptz', defaultOrder: 'desc' },
  title: { expression: sql`coalesce(${projects.title}, '')`, type: 'text', defaultOrder: 'asc' },
  stage: { expression: sql`${projects.stage}`, type: 'text', defaultOrder: 'asc' },
  customer: { expression: sql`${customers.name}`, type: 'text', defaultOrder: 'asc' },
};

export function createProjectsRouter({ database, temporal, config }: ApiDeps): Router {
  const { db } = database;
  const router = Router();

  /**
   * One active sales project per site: the first create takes the site, a second gets
   * 409, also at the same instant. A reservation whose project closed, or that never
   * started (a crash before the start), is taken over.
   */
  async function reserveSite(siteId: string, projectId: string): Promise<void> {
    const [taken] = await db.insert(siteReservations).values({ siteId, kind: 'sales', projectId }).onConflictDoNothing().returning();
    if (taken) return;
    const [held] = await db.select().from(siteReservations).where(and(eq(siteReservations.siteId, siteId), eq(siteReservations.kind, 'sales')));
    if (!held || held.projectId === projectId) return;
    if (await holderGone(held.projectId, held.reservedAt)) {
      const [moved] = await db
        .update(siteReservations)
        .set({ projectId, reservedAt: new Date() })
        .where(and(eq(siteReservations.siteId, siteId), eq(siteReservations.kind, 'sales'), eq(siteReservations.projectId, held.projectId)))
        .returning();
      if (moved) return;
    }
    throw conflict(`site ${siteId} already has an active sales project (${held.projectId})`);
  }

  /**
   * Temporal's word on the holder: its workflow closed (completed, cancelled, terminated),
   * or it never started and its reservation is over a minute old (a crash before the start).
   */
  async function holderGone(projectId: string, reservedAt: Date): Promise<boolean> {
    try {
      const { status } = await temporal.workflow.getHandle(salesWorkflowId(projectId)).describe();
      return status.name !== 'RUNNING';
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return Date.now() - reservedAt.getTime() > 60_000;
      throw err;
    }
  }

  router.post('/projects', async (req, res) => {
    const user = currentUser(req);
    authorize(user, 'create', { kind: 'projects' }, 'only staff create projects');
    const body = ProjectBody.parse(req.body);
    const [site] = await db.select().from(sites).where(eq(sites.id, body.siteId));
    const [customer] = await db.select().from(customers).where(eq(customers.id, body.customerId));
    if (!customer) throw badRequest('unknown customer', [{ path: 'customerId', message: `no customer ${body.customerId}` }]);
    if (!site || site.customerId !== customer.id) {
      throw badRequest('unknown site', [{ path: 'siteId', message: `customer ${customer.id} has no site ${body.siteId}` }]);
    }
    const key = idempotencyKey(req);
    // The project id for a keyed create: the one this key made before, or a new one.
    const projectId = key ? await keyedResource(db, `POST /projects ${user.id}`, key, body, newId('prj')) : newId('prj');
    const view = await startProject(
      { database, temporal, config },
      {
        kind: body.kind,
        projectId,
        mayExist: Boolean(key),
        customer,
        site,
        ...(body.title ? { title: body.title } : {}),
        createdBy: { id: user.id, role: user.role, name: user.name },
        ...(body.kind === 'service' && body.raisedBy ? { raisedBy: body.raisedBy } : {}),
        ...(body.kind === 'sales' ? { beforeStart: () => reserveSite(site.id, projectId) } : {}),
      },
    );
    res.status(201).location(`/projects/${projectId}`).json(view);
  });

  router.get('/projects', async (req, res) => {
    const user = currentUser(req);
    const query = ProjectQuery.parse(req.query);
    authorize(user, 'list', { kind: 'projects' }, 'installers see projects through their jobs');
    // Fails closed: a customer lists only their customer's projects, and a customer user
    // without a customer has been refused by the policy above.
    const customerId = isStaff(user) ? query.customerId : user.customerId;
    if (!customerId && !isStaff(user)) throw forbidden('no customer account');
    if (!isStaff(user) && query.customerId && query.customerId !== user.customerId) throw forbidden('not your customer account');
    // Who works on what is the office's to filter by.
    if (!isStaff(user) && (query.assignee || query.overdue)) throw forbidden('only staff filter by assignee or overdue work');
    const assignees = query.assignee === 'me' ? await myAssigneesWithGroups(db, user) : query.assignee ? [query.assignee] : [];
    const filters: (SQL | undefined)[] = [
      query.kind ? eq(projects.kind, query.kind) : undefined,
      query.stage ? eq(projects.stage, query.stage) : undefined,
      customerId ? eq(projects.customerId, customerId) : undefined,
      query.siteId ? eq(projects.siteId, query.siteId) : undefined,
      query.status ? customerStatusFilter(query.status) : undefined,
      assignees.length
        ? or(
            exists(
              db
                .select({ one: sql`1` })
                .from(tasks)
                .where(and(eq(tasks.projectId, projects.id), eq(tasks.status, 'open'), query.assignee === 'me' ? myTasksCondition(user, assignees) : inArray(tasks.assignee, assignees))),
            ),
            exists(db.select({ one: sql`1` }).from(jobs).where(and(eq(jobs.projectId, projects.id), ne(jobs.status, 'done'), inArray(jobs.installerId, assignees)))),
          )
        : undefined,
      query.overdue === 'true'
        ? exists(db.select({ one: sql`1` }).from(tasks).where(and(eq(tasks.projectId, projects.id), eq(tasks.status, 'open'), lt(tasks.dueAt, sql`now()`))))
        : undefined,
    ];
    const sort = sorting(PROJECT_SORTS[query.sort], projects.id, query.order, query.cursor);
    const [rows, [{ counted }]] = await Promise.all([
      db
        .select({ ...getTableColumns(projects), customerStatus: customerStatusSql(), customerName: customers.name, siteAddress: sites.address, sortValue: sort.cursorValue })
        .from(projects)
        .innerJoin(customers, eq(customers.id, projects.customerId))
        .innerJoin(sites, eq(sites.id, projects.siteId))
        .where(and(...filters, sort.after))
        .orderBy(...sort.orderBy)
        .limit(query.limit + 1),
      db.select({ counted: count() }).from(db.select({ one: sql`1` }).from(projects).where(and(...filters)).limit(TOTAL_CAP + 1).as('matches')),
    ]);
    const { items, nextCursor } = page(rows, query.limit, (row) => [row.sortValue, row.id]);
    const views = (await projectViews(db, items)).map((view, index) => ({ ...projectViewFor(user, view), customerName: items[index].customerName, siteAddress: items[index].siteAddress }));
    res.json({ items: views, nextCursor, ...totalOf(counted) });
  });

  router.get('/projects/:id', async (req, res) => {
    const user = currentUser(req);
    const [row] = await db.select().from(projects).where(eq(projects.id, req.params.id));
    if (!row) throw notFound(`no project ${req.params.id}`);
    const project = await projectFacts(db, row);
    const offer = !can(user, 'read', { kind: 'project', project }) && can(user, 'readOffer', { kind: 'project', project });
    if (!offer) authorize(user, 'read', { kind: 'project', project }, 'this project is not yours');
    const view = await projectView(database, req.params.id);
    if (!view) throw notFound(`no project ${req.params.id}`);
    if (!offer) {
      // What the case was raised with: the customer's own words and, from the QR form, who to
      // contact (the person at the site), for them and the office.
      const [request] = await db
        .select({ kind: cases.kind, category: cases.category, description: cases.description, source: cases.source, contactName: cases.contactName, contactPhone: cases.contactPhone, contactEmail: cases.contactEmail })
        .from(cases)
        .where(eq(cases.projectId, view.id));
      const caseView = request ? Object.fromEntries(Object.entries(request).filter(([, value]) => value !== null)) : undefined;
      res.json({ ...projectViewFor(user, view), ...(caseView ? { case: caseView } : {}) });
      return;
    }
    const [site] = await db.select({ address: sites.address }).from(sites).where(eq(sites.id, view.siteId));
    res.json(offerView(view, site?.address));
  });

  router.get('/projects/:id/timeline', async (req, res) => {
    const user = currentUser(req);
    await visibleProject(db, user, req.params.id);
    const query = PageQuery.parse(req.query);
    const after = timelineCursor(decodeCursor(query.cursor));
    const staff = isStaff(user);
    const projectJobs = staff ? [] : await db.select({ id: jobs.id, type: jobs.type, sequence: jobs.sequence, installerId: jobs.installerId }).from(jobs).where(eq(jobs.projectId, req.params.id));
    const installerJobIds = user.role === 'installer' ? new Set(projectJobs.filter((job) => job.installerId === user.id).map((job) => job.id)) : undefined;
    // What a reader may see is filtered here, before the LIMIT, so their pages are full.
    const scope = staff
      ? undefined
      : installerJobIds
        ? installerJobIds.size
          ? inArray(timeline.jobId, [...installerJobIds])
          : eq(timeline.id, '')
        : // Only entries customerSummary can describe (see api/views.ts): stage changes, the
          // case opened or cancelled, a job created, assigned or finished, and the case's messages.
          or(
            eq(timeline.kind, 'stage'),
            // The case's thread with the office (api/case-thread.ts).
            eq(timeline.kind, 'case_message'),
            and(eq(timeline.kind, 'project'), or(sql`${timeline.data} ? 'reason'`, sql`${timeline.summary} LIKE '% project created'`)),
            and(eq(timeline.kind, 'job'), or(sql`${timeline.data} ? 'installerId'`, sql`${timeline.data} ? 'outcome'`, sql`${timeline.data} ? 'jobType'`)),
          );
    const rows = await db
      .select()
      .from(timeline)
      .where(
        and(
          eq(timeline.projectId, req.params.id),
          scope,
          after ? or(gt(timeline.at, after.at), and(eq(timeline.at, after.at), gt(timeline.seq, after.seq))) : undefined,
        ),
      )
      .orderBy(asc(timeline.at), asc(timeline.seq))
      .limit(query.limit + 1);
    const { items, nextCursor } = page(rows, query.limit, (row) => [row.at.toISOString(), row.seq]);
    const labels = new Map(projectJobs.map((job) => [job.id, { type: job.type, sequence: job.sequence }]));
    res.json({ items: timelineFor(user, items, installerJobIds, labels), nextCursor });
  });

  router.post('/projects/:id/cancel', async (req: Request<{ id: string }>, res) => {
    const user = currentUser(req);
    const row = await visibleProject(db, user, req.params.id, 'cancel');
    const { reason } = CancelBody.parse(req.body);
    await temporal.withDeadline(Date.now() + config.updateTimeoutMs, () =>
      temporal.workflow.getHandle(row.workflowId).executeUpdate(cancelProjectUpdate, { args: [{ reason, actor: { id: user.id, role: user.role, name: user.name } }] }),
    );
    res.json(await projectView(database, row.id));
  });

  return router;
}

/** A timeline cursor's time and sequence, or 400 when it is not one this API gave out. */
function timelineCursor(parts: (string | number)[] | undefined): { at: Date; seq: number } | undefined {
  if (!parts) return undefined;
  const at = cursorTime(parts[0]);
  const seq = Number(parts[1]);
  if (parts.length !== 2 || !Number.isSafeInteger(seq)) {
    throw badRequest('the cursor is not one this API gave out', [{ path: 'cursor', message: 'invalid cursor' }]);
  }
  return { at, seq };
}
