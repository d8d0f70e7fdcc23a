// GET /stream: Server-Sent Events with a notice for every change to a project the
// caller may see, so consoles refresh within a moment of a change made anywhere.
// EventSource cannot send headers, so the console first asks `POST /stream/tickets`
// (with its bearer token) for a ticket: valid for a minute, good for nothing but opening
// a stream, and the stream closes when it expires (the console then takes a new one).
// Nothing else is accepted in the URL, so no bearer token ever reaches a log line.
import { and, eq } from 'drizzle-orm';
import { Router } from 'express';
import type { ChangeNotice } from '../../activities/read-model';
import { jobs, projects } from '../../db/schema';
import { currentUser, streamTicket, type User, type UserDirectory } from '../auth';
import { can, isStaff, projectFacts, visibleProject, type ProjectFacts } from '../access';
import type { ApiDeps } from '../deps';
import { limits } from '../limits';
import { unauthorized } from '../problem';

const HEARTBEAT_MS = 15_000;

/** Stream connections open with a ticket, before the bearer-token middleware. */
export function createStreamRouter({ database, config, changes }: ApiDeps, directory: UserDirectory): Router {
  const router = Router();

  router.get('/stream', limits.stream(), async (req, res) => {
    const ticket = typeof req.query.ticket === 'string' ? req.query.ticket : undefined;
    if (!ticket) throw unauthorized('open the stream with ?ticket= from POST /stream/tickets');
    const { user, expiresAt } = await directory.fromTicket(config.jwtSecret, ticket);
    const only = typeof req.query.projectId === 'string' ? req.query.projectId : undefined;
    const visible = visibility(user);
    if (only) {
      await visibleProject(database.db, user, only).catch(async (err) => {
        // An installer may follow a project whose job is offered to them.
        if (!(await visible({ projectId: only }))) throw err;
      });
    }

    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.write('retry: 2000\n\n');
    const unsubscribe = await changes.subscribe(async (notice) => {
      if (only && notice.projectId !== only) return;
      const shown = await visible(notice);
      if (!shown) return;
      res.write(`event: change\ndata: ${JSON.stringify(shown)}\n\n`);
    }, () => res.write('event: resync\ndata: {}\n\n'));
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    // The stream lives as long as its ticket; then the client opens a new one.
    const expiry = setTimeout(() => {
      res.write('event: expired\ndata: {}\n\n');
      res.end();
    }, Math.max(0, expiresAt - Date.now()));
    req.on('close', () => {
      clearInterval(heartbeat);
      clearTimeout(expiry);
      unsubscribe();
    });
  });

  /**
   * A change notice as this user may see it, or undefined: projects they may read, and for
   * an installer those with a job on offer. An installer hears of their own jobs and the
   * offered ones only (never another installer's job or its task ids), and of the project
   * itself without task ids (those are the office's). Remembered for a moment only, since
   * a job taken or assigned changes the answer.
   */
  function visibility(user: User) {
    if (isStaff(user)) return async (notice: ChangeNotice) => notice;
    const known = new Map<string, { facts?: ProjectFacts; mine: Set<string>; until: number }>();
    const factsOf = async (projectId: string) => {
      const cached = known.get(projectId);
      if (cached && cached.until > Date.now()) return cached;
      const [row] = await database.db.select().from(projects).where(eq(projects.id, projectId));
      const facts = row ? await projectFacts(database.db, row) : undefined;
      const mine =
        facts && user.role === 'installer'
          ? new Set((await database.db.select({ id: jobs.id }).from(jobs).where(and(eq(jobs.projectId, projectId), eq(jobs.installerId, user.id)))).map((job) => job.id))
          : new Set<string>();
      const entry = { facts, mine, until: Date.now() + 2000 };
      known.set(projectId, entry);
      return entry;
    };
    return async (notice: ChangeNotice): Promise<ChangeNotice | undefined> => {
      const { facts, mine } = await factsOf(notice.projectId);
      if (!facts) return undefined;
      const project = { kind: 'project' as const, project: facts };
      if (!can(user, 'read', project) && !can(user, 'readOffer', project)) return undefined;
      // The job channel is the office's and the job's installer's: nobody else hears of it.
      if (notice.messageId && (user.role === 'customer' || !(notice.jobId && mine.has(notice.jobId)))) return undefined;
      // A case's thread is the customer's and the office's: installers do not hear of it.
      if (notice.caseMessageId && !can(user, 'message', project)) return undefined;
      if (user.role !== 'installer') return notice;
      if (notice.jobId === undefined) {
        const { taskIds: _office, ...rest } = notice;
        return rest;
      }
      return mine.has(notice.jobId) || facts.offerJobIds.includes(notice.jobId) ? notice : undefined;
    };
  }

  return router;
}

/** POST /stream/tickets, behind the bearer token. */
export function createStreamTicketRouter({ config }: ApiDeps): Router {
  const router = Router();
  router.post('/stream/tickets', limits.stream(), (req, res) => {
    res.status(201).json(streamTicket(config.jwtSecret, currentUser(req)));
  });
  return router;
}
