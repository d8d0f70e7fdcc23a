// Site jobs as things of their own: an installer reads the jobs assigned to them and the
// open offers, claims an offer (the first claim wins, the others get 409), and staff
// reassign. The job's workflow decides the race; the read model only lets the API say
// no early.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { and, eq, isNull } from 'drizzle-orm';
import { Router } from 'express';
import type { Db } from '../../db';
import { jobs, users } from '../../db/schema';
import { assignJobUpdate, type AssignJobRequest } from '../../workflows/jobs/definitions';
import { authorize, jobFacts } from '../access';
import { currentUser, type User } from '../auth';
import type { ApiDeps } from '../deps';
import { badRequest, conflict, notFound } from '../problem';
import { AssignJobBody } from '../schemas';
import { jobView } from '../views';


/** Is this the id of an installer who may work (exists, enabled)? */
export async function isEnabledInstaller(db: Db, id: string): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).where(and(eq(users.id, id), eq(users.role, 'installer'), isNull(users.disabledAt)));
  return Boolean(row);
}

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
