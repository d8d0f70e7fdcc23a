// Site jobs as things of their own: the office lists them all (an installer lists theirs
// and the open offers), an installer reads the jobs assigned to them and the open offers,
// claims an offer (the first claim wins, the others get 409), and staff reassign. The
// job's workflow decides the race; the read model only lets the API say no early.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { and, count, eq, exists, gte, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { Router } from 'express';
import type { Db } from '../../db';
import { customers, jobs, projects, sites, tasks, users } from '../../db/schema';
import { assignJobUpdate, type AssignJobRequest } from '../../workflows/jobs/definitions';
import { authorize, installerJobScope, isStaff, jobFacts } from '../access';
import { currentUser, type User } from '../auth';
import type { ApiDeps } from '../deps';
import { JobQuery, type jobSorts } from '../job-list-schemas';
import { sorting, TOTAL_CAP, totalOf, type SortKey } from '../lists';
import { page } from '../paging';
import { badRequest, conflict, notFound } from '../problem';
import { AssignJobBody } from '../schemas';
import { jobView } from '../views';

/** The columns the jobs list sorts by (`?sort=`); a job without an appointment sorts after every booked one. */
const JOB_SORTS: Record<(typeof jobSorts)[number], SortKey> = {
  created: { expression: sql`${jobs.createdAt}`, type: 'timestamptz', defaultOrder: 'desc' },
  scheduled: { expression: sql`coalesce(${jobs.scheduledStart}, 'infinity'::timestamptz)`, type: 'timestamptz', defaultOrder: 'asc' },
  customer: { expression: sql`${customers.name}`, type: 'text', defaultOrder: 'asc' },
  type: { expression: sql`${jobs.type}`, type: 'text', defaultOrder: 'asc' },
  status: { expression: sql`${jobs.status}`, type: 'text', defaultOrder: 'asc' },
};

const iso = (value: Date | null) => (value ? value.toISOString() : undefined);

/** Is this the id of an installer who may work (exists, enabled)? */
export async function isEnabledInstaller(db: Db, id: string): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).where(and(eq(users.id, id), eq(users.role, 'installer'), isNull(users.disabledAt)));
  return Boolean(row);
}

/** A job as the office's lists show it (the jobs list, the dispatch board): from jobs joined with projects, customers and sites. */
export const jobRowColumns = {
  id: jobs.id,
  projectId: jobs.projectId,
  projectTitle: projects.title,
  type: jobs.type,
  sequence: jobs.sequence,
  status: jobs.status,
  outcome: jobs.outcome,
  installerId: jobs.installerId,
  scheduledStart: jobs.scheduledStart,
  scheduledEnd: jobs.scheduledEnd,
  createdAt: jobs.createdAt,
  customerId: projects.customerId,
  customerName: customers.name,
  siteId: projects.siteId,
  address: sites.address,
};

export function createJobsRouter({ database, temporal, config }: ApiDeps): Router {
  const { db } = database;
  const router = Router();

  async function findJob(id: string) {
    const facts = await jobFacts(db, id);
    if (!facts) throw notFound(`no job ${id}`);
    return facts;
  }

  async function assign(user: User, jobId: string, installerId: string, claim: boolean) {
    const [row] = await db.select().from(jobs).where(eq(jobs.id, jobId));
    const request: AssignJobRequest = { installerId, actor: { id: user.id, role: user.role, name: user.name }, claim };
    try {
      const view = await temporal.withDeadline(Date.now() + config.updateTimeoutMs, () =>
        temporal.workflow.getHandle(row!.workflowId).executeUpdate(assignJobUpdate, { args: [request] }),
      );
      const [after] = await db.select().from(jobs).where(eq(jobs.id, jobId));
      return { ...jobView(after ?? row!), ...(view.installerId ? { installerId: view.installerId } : {}) };
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === 'JobTaken') {
        throw conflict('another installer has this job');
      }
      throw err;
    }
  }

  router.get('/jobs', async (req, res) => {
    const user = currentUser(req);
    authorize(user, 'list', { kind: 'jobs' }, 'customers follow their cases, not the jobs in them');
    const query = JobQuery.parse(req.query);
    const installer = query.installer === 'me' ? user.id : query.installer;
    // An open task of the job past its due time: the kernel's deadlines, as on the projects list.
    const overdue = exists(db.select({ one: sql`1` }).from(tasks).where(and(eq(tasks.jobId, jobs.id), eq(tasks.status, 'open'), lt(tasks.dueAt, sql`now()`))));
    const filters: (SQL | undefined)[] = [
      // An installer only ever lists their own jobs and the open offers, whatever they ask for.
      isStaff(user) ? undefined : installerJobScope(user),
      query.status ? eq(jobs.status, query.status) : undefined,
      query.type ? eq(jobs.type, query.type) : undefined,
      query.customerId ? eq(projects.customerId, query.customerId) : undefined,
      query.siteId ? eq(projects.siteId, query.siteId) : undefined,
      query.projectId ? eq(jobs.projectId, query.projectId) : undefined,
      installer === 'none' ? isNull(jobs.installerId) : installer ? eq(jobs.installerId, installer) : undefined,
      query.from ? gte(jobs.scheduledStart, new Date(query.from)) : undefined,
      query.to ? lt(jobs.scheduledStart, new Date(query.to)) : undefined,
      query.overdue === 'true' ? overdue : undefined,
    ];
    // An installer sorts offers by no customer name: the sort value goes out in the cursor
    // and can be probed with a made-up one, which would spell out what the offer hides.
    const sortKey =
      query.sort === 'customer' && !isStaff(user)
        ? { ...JOB_SORTS.customer, expression: sql`CASE WHEN ${jobs.installerId} = ${user.id} THEN ${customers.name} ELSE '' END` }
        : JOB_SORTS[query.sort];
    const sort = sorting(sortKey, jobs.id, query.order, query.cursor);
    const [rows, [{ counted }]] = await Promise.all([
      db
        .select({
          ...jobRowColumns,
          installerName: users.name,
          completedAt: jobs.completedAt,
          overdue: sql<boolean>`${overdue}`,
          sortValue: sort.cursorValue,
        })
        .from(jobs)
        .innerJoin(projects, eq(projects.id, jobs.projectId))
        .innerJoin(customers, eq(customers.id, projects.customerId))
        .innerJoin(sites, eq(sites.id, projects.siteId))
        .leftJoin(users, eq(users.id, jobs.installerId))
        .where(and(...filters, sort.after))
        .orderBy(...sort.orderBy)
        .limit(query.limit + 1),
      db
        .select({ counted: count() })
        .from(db.select({ one: sql`1` }).from(jobs).innerJoin(projects, eq(projects.id, jobs.projectId)).where(and(...filters)).limit(TOTAL_CAP + 1).as('matches')),
    ]);
    const { items, nextCursor } = page(rows, query.limit, (row) => [row.sortValue, row.id]);
    const view = (row: (typeof items)[number]) => {
      // An offer shows an installer what the job is and where, not whose it is (as GET /projects/:id does).
      const offer = !isStaff(user) && row.installerId !== user.id;
      return {
        id: row.id,
        projectId: row.projectId,
        ...(row.projectTitle ? { projectTitle: row.projectTitle } : {}),
        type: row.type,
        sequence: row.sequence,
        status: row.status,
        ...(row.outcome ? { outcome: row.outcome } : {}),
        ...(row.installerId ? { installerId: row.installerId } : {}),
        ...(row.installerName ? { installerName: row.installerName } : {}),
        ...(row.scheduledStart ? { scheduledStart: iso(row.scheduledStart) } : {}),
        ...(row.scheduledEnd ? { scheduledEnd: iso(row.scheduledEnd) } : {}),
        createdAt: row.createdAt.toISOString(),
        ...(row.completedAt ? { completedAt: iso(row.completedAt) } : {}),
        customerId: row.customerId,
        ...(offer ? {} : { customerName: row.customerName }),
        siteId: row.siteId,
        address: row.address,
        overdue: Boolean(row.overdue),
      };
    };
    res.json({ items: items.map(view), nextCursor, ...totalOf(counted) });
  });

  router.get('/jobs/:id', async (req, res) => {
    const job = await findJob(req.params.id);
    authorize(currentUser(req), 'read', { kind: 'job', job }, 'this job is not yours');
    const [row] = await db.select().from(jobs).where(eq(jobs.id, job.id));
    res.json(jobView(row!));
  });

  router.post('/jobs/:id/claim', async (req, res) => {
    const user = currentUser(req);
    const job = await findJob(req.params.id);
    if (user.role !== 'installer') authorize(user, 'claim', { kind: 'job', job }, 'only installers claim jobs; staff assign them');
    if (job.installerId === user.id) {
      const [row] = await db.select().from(jobs).where(eq(jobs.id, job.id));
      res.json(jobView(row!));
      return;
    }
    // Offers go to the whole installer group, so saying it is taken tells nobody anything new.
    if (job.installerId) throw conflict('another installer has this job');
    if (job.status !== 'open') throw conflict('the job is finished');
    authorize(user, 'claim', { kind: 'job', job }, 'this job is not offered to you');
    // An installer claims only for themselves: the id comes from the token, never the body.
    res.json(await assign(user, job.id, user.id, true));
  });

  router.post('/jobs/:id/assign', async (req, res) => {
    const user = currentUser(req);
    const job = await findJob(req.params.id);
    authorize(user, 'assign', { kind: 'job', job: { ...job, status: 'open' } }, 'only staff assign jobs');
    if (job.status !== 'open') throw conflict('the job is finished');
    const body = AssignJobBody.parse(req.body);
    if (!(await isEnabledInstaller(db, body.installerId))) {
      throw badRequest('installerId must be an installer who can work', [{ path: 'installerId', message: `no enabled installer ${body.installerId}` }]);
    }
    res.json(await assign(user, job.id, body.installerId, false));
  });

  return router;
}
