// What clients need to know about the API itself: the task types with their payload
// JSON Schemas (forms are generated from them), and where the Temporal UI is.
import { Router } from 'express';
import { z } from 'zod';
import { taskSchema, taskTypes } from '../../workflows/tasks/catalogue';
import { and, asc, eq, isNull, ne, notInArray, or } from 'drizzle-orm';
import { users } from '../../db/schema';
import { authorize, isStaff } from '../access';
import { currentUser } from '../auth';
import type { ApiDeps } from '../deps';

export function createMetaRouter({ config, database }: ApiDeps): Router {
  const router = Router();
  const types = Object.entries(taskTypes).map(([type, definition]) => ({
    type,
    title: definition.title,
    group: definition.group,
    roles: definition.roles,
    schema: z.toJSONSchema(taskSchema(type)!, { io: 'input', unrepresentable: 'any' }),
  }));

  router.get('/task-types', (req, res) => {
    authorize(currentUser(req), 'read', { kind: 'catalogue' });
    res.json({ items: types });
  });

  router.get('/settings', (req, res) => {
    authorize(currentUser(req), 'read', { kind: 'catalogue' });
    res.json({
      temporalNamespace: config.temporalNamespace,
      companyTimeZone: config.companyTimeZone,
      // The address people's browsers reach, never the server's own localhost; for admins
      // only (the Temporal UI holds every history and can terminate workflows).
      ...(config.temporalUiPublicUrl && currentUser(req).role === 'admin' ? { temporalUiUrl: config.temporalUiPublicUrl } : {}),
    });
  });

  // Display names, so people read "Olle Ops", never an id. Staff read everyone who works
  // (office and installers); an installer the office and themselves; a customer nobody.
  router.get('/people', async (req, res) => {
    const user = currentUser(req);
    authorize(user, 'list', { kind: 'people' }, 'names of the staff are for the staff and installers');
    const scope = isStaff(user) ? ne(users.role, 'customer') : or(notInArray(users.role, ['customer', 'installer']), eq(users.id, user.id));
    // Nobody picks a disabled account to assign work to (their names in old timelines come from the entries).
    const rows = await database.db.select({ id: users.id, name: users.name, role: users.role }).from(users).where(and(scope, isNull(users.disabledAt))).orderBy(asc(users.name));
    res.json({ items: rows });
  });

  return router;
}
