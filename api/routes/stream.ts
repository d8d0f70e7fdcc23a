// GET /stream: Server-Sent Events with a notice for every change to a project the
// caller may see, so consoles refresh within a moment of a change made anywhere.
// EventSource cannot send headers, so this route also takes `?access_token=`.
import { Router } from 'express';
import { STAFF, verifyToken, type User } from '../auth';
import { visibleProject } from '../access';
import type { ApiDeps } from '../deps';
import { unauthorized } from '../problem';

const HEARTBEAT_MS = 15_000;

export function createStreamRouter({ database, config, changes }: ApiDeps): Router {
  const router = Router();

  router.get('/stream', async (req, res) => {
    const header = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const token = header ?? (typeof req.query.access_token === 'string' ? req.query.access_token : undefined);
    if (!token) throw unauthorized();
    const user = verifyToken(config.jwtSecret, token);
    const only = typeof req.query.projectId === 'string' ? req.query.projectId : undefined;
    if (only) await visibleProject(database.db, user, only);

    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.write('retry: 2000\n\n');
    const visible = visibility(user);
    const unsubscribe = await changes.subscribe(async (notice) => {
      if (only && notice.projectId !== only) return;
      if (!(await visible(notice.projectId))) return;
      res.write(`event: change\ndata: ${JSON.stringify(notice)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  });

  /** Staff see every project; others only theirs (remembered per connection). */
  function visibility(user: User) {
    if (STAFF.includes(user.role)) return async () => true;
    const known = new Map<string, boolean>();
    return async (projectId: string) => {
      if (!known.has(projectId)) {
        known.set(projectId, await visibleProject(database.db, user, projectId).then(() => true, () => false));
      }
      return known.get(projectId)!;
    };
  }

  return router;
}
