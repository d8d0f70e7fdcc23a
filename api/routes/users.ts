// Users, managed by admins: create, list (never a secret), disable. A disabled user's
// tokens stop working within the user directory's short cache, and they cannot log in.
import { desc, eq, lt } from 'drizzle-orm';
import { Router } from 'express';
import { users } from '../../db/schema';
import { authorize } from '../access';
import { currentUser, type UserDirectory } from '../auth';
import type { ApiDeps } from '../deps';
import { decodeCursor, page } from '../paging';
import { badRequest, notFound } from '../problem';
import { PageQuery } from '../schemas';
import { createUser, UserBody, userView } from '../user-accounts';

export function createUsersRouter({ database }: ApiDeps, directory: UserDirectory): Router {
  const { db } = database;
  const router = Router();
  const admin = (req: Parameters<typeof currentUser>[0]) => authorize(currentUser(req), 'manage', { kind: 'users' }, 'only admins manage users');

  router.post('/users', async (req, res) => {
    admin(req);
    const row = await createUser(db, UserBody.parse(req.body));
    res.status(201).location(`/users/${row.id}`).json(userView(row));
  });

  router.get('/users', async (req, res) => {
    admin(req);
    const query = PageQuery.parse(req.query);
    const after = decodeCursor(query.cursor);
    const rows = await db
      .select()
      .from(users)
      .where(after ? lt(users.id, String(after[0])) : undefined)
      .orderBy(desc(users.id))
      .limit(query.limit + 1);
    const { items, nextCursor } = page(rows, query.limit, (row) => [row.id]);
    res.json({ items: items.map(userView), nextCursor });
  });

  router.post('/users/:id/disable', async (req, res) => {
    admin(req);
    if (req.params.id === currentUser(req).id) throw badRequest('an admin cannot disable themselves');
    const [row] = await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, req.params.id)).returning();
    if (!row) throw notFound(`no user ${req.params.id}`);
    directory.forget(row.id);
    res.json(userView(row));
  });

  return router;
}
