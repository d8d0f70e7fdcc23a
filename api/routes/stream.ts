// GET /stream: Server-Sent Events with a notice for every change to a project the
// caller may see, so consoles refresh within a moment of a change made anywhere.
// EventSource cannot send headers, so the console first asks `POST /stream/tickets`
// (with its bearer token) for a ticket: valid for a minute, good for nothing but opening
// a stream, and the stream closes when it expires (the console then takes a new one).
// Nothing else is accepted in the URL, so no bearer token ever reaches a log line.
import { eq } from 'drizzle-orm';
import { Router } from 'express';
import { projects } from '../../db/schema';
import { currentUser, streamTicket, type User, type UserDirectory } from '../auth';
import { can, isStaff, projectFacts, visibleProject } from '../access';
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
        if (!(await visible(only))) throw err;
      });
    }

    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.write('retry: 2000\n\n');
    const unsubscribe = await changes.subscribe(async (notice) => {
      if (only && notice.projectId !== only) return;
      if (!(await visible(notice.projectId))) return;
      res.write(`event: change\ndata: ${JSON.stringify(notice)}\n\n`);
    });
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
   * Whether a project's changes may reach this user: those they may read, and for an
   * installer those with a job on offer. Remembered for a moment only, since a job
   * taken or assigned changes the answer.
   */
  function visibility(user: User) {
    if (isStaff(user)) return async () => true;
    const known = new Map<string, { visible: boolean; until: number }>();
    return async (projectId: string) => {
      const cached = known.get(projectId);
      if (cached && cached.until > Date.now()) return cached.visible;
      const [row] = await database.db.select().from(projects).where(eq(projects.id, projectId));
      const project = row ? await projectFacts(database.db, row) : undefined;
      const visible = Boolean(project) && (can(user, 'read', { kind: 'project', project: project! }) || can(user, 'readOffer', { kind: 'project', project: project! }));
      known.set(projectId, { visible, until: Date.now() + 2000 });
      return visible;
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
