// What clients need to know about the API itself: the task types with their payload
// JSON Schemas (forms are generated from them), and where the Temporal UI is.
import { Router } from 'express';
import { z } from 'zod';
import { taskSchema, taskTypes } from '../../workflows/tasks/catalogue';
import { authorize } from '../access';
import { currentUser } from '../auth';
import type { ApiDeps } from '../deps';

export function createMetaRouter({ config }: ApiDeps): Router {
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
      // The address people's browsers reach, never the server's own localhost; for admins
      // only (the Temporal UI holds every history and can terminate workflows).
      ...(config.temporalUiPublicUrl && currentUser(req).role === 'admin' ? { temporalUiUrl: config.temporalUiPublicUrl } : {}),
    });
  });

  return router;
}
