// Webhooks from outside systems, signed with the Standard Webhooks scheme (API.md,
// "Webhooks"): each source has its own secrets, a delivery older than the library's five
// minutes is refused, and a delivery id seen before answers 202 and changes nothing. The
// older X-Signature (an HMAC of the body with WEBHOOK_SECRET) works in the embedded mode
// only, for the README's curl walk. A verified event becomes a signal to the workflow.
import crypto from 'node:crypto';
import { and, eq, lt } from 'drizzle-orm';
import express, { Router, type Request } from 'express';
import { Webhook } from 'standardwebhooks';
import { projects, webhookDeliveries } from '../../db/schema';
import { WEBHOOK_SOURCES, type WebhookSource } from '../../runtime/config';
import { projectEventSignal } from '../../workflows/projects/definitions';
import type { ApiDeps } from '../deps';
import { limits } from '../limits';
import { badRequest, conflict, notFound, unauthorized } from '../problem';
import { DesignEvent, ManufacturerEvent } from '../schemas';

/** The older scheme's header value: `sha256=<hex HMAC of the raw body>`. */
export function signBody(secret: string, body: string | Buffer): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;
}

function legacyVerified(secret: string, body: Buffer, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(header.trim());
  return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}

const isSource = (source: string): source is WebhookSource => (WEBHOOK_SOURCES as readonly string[]).includes(source);

export function createEventsRouter({ database, temporal, config }: ApiDeps): Router {
  const router = Router();
  // Every secret of every source, made once; a rotation lists the old and the new.
  const verifiers = Object.fromEntries(WEBHOOK_SOURCES.map((source) => [source, config.webhookSecrets[source].map((secret) => new Webhook(secret))])) as Record<
    WebhookSource,
    Webhook[]
  >;

  /** The delivery id of a verified delivery; undefined for the older scheme (no id). */
  function verify(source: WebhookSource, req: Request, body: Buffer): { deliveryId?: string } {
    const headers = { 'webhook-id': req.get('webhook-id') ?? '', 'webhook-timestamp': req.get('webhook-timestamp') ?? '', 'webhook-signature': req.get('webhook-signature') ?? '' };
    if (headers['webhook-signature']) {
      const text = body.toString('utf8');
      const ok = verifiers[source].some((verifier) => {
        try {
          verifier.verify(text, headers, { jsonParse: false });
          return true;
        } catch {
          return false;
        }
      });
      if (!ok) throw unauthorized('the webhook signature does not match, or the delivery is too old');
      if (!headers['webhook-id'] || headers['webhook-id'].length > 200) throw unauthorized('the webhook-id is missing');
      return { deliveryId: headers['webhook-id'] };
    }
    if (config.legacyWebhookSecret && legacyVerified(config.legacyWebhookSecret, body, req.get('X-Signature'))) return {};
    throw unauthorized('sign the delivery with webhook-id, webhook-timestamp and webhook-signature (Standard Webhooks)');
  }

  router.post('/events/:source', limits.webhooks(), express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    const source = String(req.params.source);
    if (!isSource(source)) throw notFound(`no event source ${source}`);
    const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const { deliveryId } = verify(source, req, body);
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      throw badRequest('the body is not valid JSON');
    }
    // Each source speaks to one kind of project: the manufacturer to service cases, the design tool to sales.
    const event = source === 'design' ? DesignEvent.parse(json) : ManufacturerEvent.parse(json);
    const kind = source === 'design' ? 'sales' : 'service';
    const [project] = await database.db.select().from(projects).where(eq(projects.id, event.projectId));
    if (!project || project.kind !== kind) throw notFound(`no ${kind} project ${event.projectId}`);
    // A delivery seen before answers 202 and changes nothing.
    if (deliveryId) {
      const [seen] = await database.db
        .select({ deliveryId: webhookDeliveries.deliveryId })
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.source, source), eq(webhookDeliveries.deliveryId, deliveryId)));
      if (seen) {
        res.status(202).json({ accepted: true, projectId: project.id, duplicate: true });
        return;
      }
    }
    if (project.outcome) throw conflict('the project is closed');
    // The signal first, then the record: a crash in between lets the sender's retry
    // through, and the workflow applies a delivery id once (concurrent duplicates too).
    const { projectId: _projectId, ...fields } = event;
    await temporal.withDeadline(Date.now() + config.updateTimeoutMs, () =>
      temporal.workflow.getHandle(project.workflowId).signal(projectEventSignal, { ...fields, source, ...(deliveryId ? { deliveryId } : {}) }),
    );
    if (deliveryId) {
      await database.db.insert(webhookDeliveries).values({ source, deliveryId }).onConflictDoNothing();
      // Deliveries older than the tolerance are refused anyway; keep a day of ids, prune now and then.
      if (Math.random() < 0.01) await database.db.delete(webhookDeliveries).where(lt(webhookDeliveries.receivedAt, new Date(Date.now() - 86_400_000)));
    }
    res.status(202).json({ accepted: true, projectId: project.id });
  });

  return router;
}
