// Webhooks from outside systems. The HMAC of the raw body is checked before anything
// else happens; a verified event becomes a signal to the project's workflow.
import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import express, { Router } from 'express';
import { projects } from '../../db/schema';
import { projectEventSignal } from '../../workflows/projects/definitions';
import type { ApiDeps } from '../deps';
import { badRequest, conflict, notFound, Problem, unauthorized } from '../problem';
import { ManufacturerEvent } from '../schemas';

export function signBody(secret: string, body: string | Buffer): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;
}

function verified(secret: string, body: Buffer, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(header.trim());
  return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}

export function createEventsRouter({ database, temporal, config }: ApiDeps): Router {
  const router = Router();

  router.post('/events/:source', express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!verified(config.webhookSecret, body, req.get('X-Signature'))) throw unauthorized('the X-Signature does not match the body');
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      throw badRequest('the body is not valid JSON');
    }
    const source = req.params.source;
    if (source === 'design') throw new Problem(501, 'Not implemented', 'design-tool events drive sales projects, which are not available yet');
    if (source !== 'manufacturer') throw notFound(`no event source ${source}`);

    const event = ManufacturerEvent.parse(json);
    const [project] = await database.db.select().from(projects).where(eq(projects.id, event.projectId));
    if (!project || project.kind !== 'service') throw notFound(`no service project ${event.projectId}`);
    if (project.stage === 'closed') throw conflict('the project is closed');
    const { projectId: _projectId, ...fields } = event;
    await temporal.withDeadline(Date.now() + config.updateTimeoutMs, () =>
      temporal.workflow.getHandle(project.workflowId).signal(projectEventSignal, { ...fields, source }),
    );
    res.status(202).json({ accepted: true, projectId: project.id });
  });

  return router;
}
