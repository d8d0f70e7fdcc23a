// The dispatch board: the office's lanes of installers over a day or a week, with the
// jobs still to be booked beside them, read from the read model in one request; and the
// booking itself, one update on the job's workflow that sets installer and appointment
// window together. The workflow decides whether the job may still move; the read model
// only lets the API say no early, in the same words.
import crypto from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { and, asc, count, desc, eq, gte, inArray, isNotNull, isNull, lt, ne, or, sql } from 'drizzle-orm';
import { Router } from 'express';
import { customers, jobs, projects, sites, tasks, users } from '../../db/schema';
import { scheduleJobUpdate, type ScheduleJobRequest } from '../../workflows/jobs/definitions';
import { authorize, isStaff, jobFacts } from '../access';
import { currentUser } from '../auth';
import type { ApiDeps } from '../deps';
import { idempotencyKey, keyedResource } from '../idempotency';
import { badRequest, conflict, forbidden, notFound } from '../problem';
import { DispatchQuery, ScheduleJobBody } from '../schemas';
import { jobView } from '../views';
import { isEnabledInstaller, jobRowColumns } from './jobs';

/** How many open jobs the queue shows at most (newest first, like every list; the total says how many wait). */
const QUEUE_LIMIT = 200;

const iso = (value: Date | null) => (value ? value.toISOString() : undefined);
const title = (type: string) => type.charAt(0).toUpperCase() + type.slice(1);

/** Why a job the read model has as done cannot be booked, in the office's words. */
export function finishedJobMessage(row: { type: string; sequence: number; outcome: string | null }): string {
  const name = `${title(row.type)} job ${row.sequence}`;
  return row.outcome === 'cancelled' ? `${name} was cancelled, so it can no longer be scheduled` : `${name} is already finished, so it can no longer be scheduled`;
}

/**
 * The window on the company's clocks, for the installer's notice: "Mon 7 Dec 2026,
 * 09:00–11:00", or both ends in full when it crosses midnight. No offset: the company's
 * time is the one everybody means.
 */
export function appointmentText(start: string, end: string, timeZone: string): string {
  const day = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone });
  const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
  const [from, to] = [new Date(start), new Date(end)];
  const [fromDay, toDay] = [day.format(from).replace(/,/g, ''), day.format(to).replace(/,/g, '')];
  return fromDay === toDay ? `${fromDay}, ${time.format(from)}–${time.format(to)}` : `${fromDay} ${time.format(from)} to ${toDay} ${time.format(to)}`;
}

export function createDispatchRouter({ database, temporal, config }: ApiDeps): Router {
  const { db } = database;
  const router = Router();

  router.get('/dispatch', async (req, res) => {
    const user = currentUser(req);
    if (!isStaff(user)) throw forbidden('only the office uses the dispatch board');
    const query = DispatchQuery.parse(req.query);
    const from = new Date(query.from);
    const to = new Date(query.to);

    const joined = () =>
      db
        .select(jobRowColumns)
        .from(jobs)
        .innerJoin(projects, eq(projects.id, jobs.projectId))
        .innerJoin(customers, eq(customers.id, projects.customerId))
        .innerJoin(sites, eq(sites.id, projects.siteId));
    const waitingToBeBooked = and(ne(jobs.status, 'done'), or(isNull(jobs.installerId), isNull(jobs.scheduledStart)));
    const [booked, waiting, [{ total }], installers] = await Promise.all([
      // A window that overlaps the range; a booking without an end counts as its start.
      // Windows last at most a day (ScheduleJobBody), which bounds the scan from below too.
      joined()
        .where(
          and(
            isNotNull(jobs.installerId),
            lt(jobs.scheduledStart, to),
            gte(jobs.scheduledStart, new Date(from.getTime() - 24 * 3_600_000)),
            gte(sql`coalesce(${jobs.scheduledEnd}, ${jobs.scheduledStart})`, from),
          ),
        )
        .orderBy(asc(jobs.scheduledStart), asc(jobs.id)),
      joined()
        .where(waitingToBeBooked)
        .orderBy(desc(jobs.createdAt), desc(jobs.id))
        .limit(QUEUE_LIMIT),
      db.select({ total: count() }).from(jobs).where(waitingToBeBooked),
      db
        .select({ id: users.id, name: users.name, disabledAt: users.disabledAt })
        .from(users)
        .where(eq(users.role, 'installer'))
        .orderBy(asc(users.name), asc(users.id)),
    ]);
    const ids = [...booked, ...waiting].map((row) => row.id);
    const open = ids.length
      ? await db
          .select({ jobId: tasks.jobId, type: tasks.type })
          .from(tasks)
          .where(and(inArray(tasks.jobId, ids), eq(tasks.status, 'open')))
          .orderBy(asc(tasks.createdAt), asc(tasks.id))
      : [];
    const view = (row: (typeof booked)[number]) => ({
      id: row.id,
      projectId: row.projectId,
      ...(row.projectTitle ? { projectTitle: row.projectTitle } : {}),
      type: row.type,
      sequence: row.sequence,
      status: row.status,
      ...(row.outcome ? { outcome: row.outcome } : {}),
      ...(row.installerId ? { installerId: row.installerId } : {}),
      ...(row.scheduledStart ? { scheduledStart: iso(row.scheduledStart) } : {}),
      ...(row.scheduledEnd ? { scheduledEnd: iso(row.scheduledEnd) } : {}),
      customerId: row.customerId,
      customerName: row.customerName,
      siteId: row.siteId,
      address: row.address,
      openTaskTypes: open.filter((task) => task.jobId === row.id).map((task) => task.type),
    });
    // Every installer who can work has a lane; one who cannot keeps theirs only while it holds jobs.
    const lanes = installers
      .filter((installer) => !installer.disabledAt || booked.some((row) => row.installerId === installer.id))
      .map((installer) => ({
        installerId: installer.id,
        name: installer.name,
        disabled: Boolean(installer.disabledAt),
        jobs: booked.filter((row) => row.installerId === installer.id).map(view),
      }));
    res.json({ from: from.toISOString(), to: to.toISOString(), lanes, queue: waiting.map(view), queueTotal: total });
  });

  router.post('/jobs/:id/schedule', async (req, res) => {
    const user = currentUser(req);
    const facts = await jobFacts(db, req.params.id);
    if (!facts) throw notFound(`no job ${req.params.id}`);
    authorize(user, 'assign', { kind: 'job', job: { ...facts, status: 'open' } }, 'only the office books jobs');
    const body = ScheduleJobBody.parse(req.body);
    const [row] = await db.select().from(jobs).where(eq(jobs.id, facts.id));
    if (row!.status === 'done') throw conflict(finishedJobMessage(row!));
    if (!(await isEnabledInstaller(db, body.installerId))) {
      throw badRequest('choose an installer who can work', [{ path: 'installerId', message: 'this person is not an installer who can work' }]);
    }
    const key = idempotencyKey(req);
    const route = `POST /jobs/:id/schedule`;
    const updateId = key ? await keyedResource(db, `${route} ${user.id}`, key, req.body ?? {}, `${row!.id}:schedule:${user.id}:${key}`) : crypto.randomUUID();
    const request: ScheduleJobRequest = { ...body, appointment: appointmentText(body.start, body.end, config.companyTimeZone), actor: { id: user.id, role: user.role, name: user.name } };
    try {
      const view = await temporal.withDeadline(Date.now() + config.updateTimeoutMs, () =>
        temporal.workflow.getHandle(row!.workflowId).executeUpdate(scheduleJobUpdate, { args: [request], updateId }),
      );
      const [after] = await db.select().from(jobs).where(eq(jobs.id, row!.id));
      res.json({
        ...jobView(after ?? row!),
        ...(view.installerId ? { installerId: view.installerId } : {}),
        ...(view.scheduledStart ? { scheduledStart: new Date(view.scheduledStart).toISOString() } : {}),
        ...(view.scheduledEnd ? { scheduledEnd: view.scheduledEnd } : {}),
      });
    } catch (err) {
      // The job's workflow ended after the read above (cancelled meanwhile): say so plainly.
      if (err instanceof WorkflowNotFoundError || (err instanceof WorkflowUpdateFailedError && err.cause instanceof WorkflowNotFoundError)) {
        const [now] = await db.select().from(jobs).where(eq(jobs.id, row!.id));
        throw conflict(finishedJobMessage(now?.status === 'done' ? now : { ...row!, outcome: null }));
      }
      throw err;
    }
  });

  return router;
}
