// A job's field work over HTTP: trips, the protocol, confirmations, the work-order PDFs
// and closing a job as not carried out. Every change is an update on the job's workflow
// whose update id carries the Idempotency-Key, so a phone's retry has one effect; the
// answer comes from the update itself. Staff and the job's own installer only.
import crypto from 'node:crypto';
import { and, asc, desc, eq } from 'drizzle-orm';
import { Router, type Request } from 'express';
import { imageSize } from 'image-size';
import { articles, documents, jobs, projects, sites, workOrders } from '../../db/schema';
import {
  addConfirmationUpdate,
  changeProtocolUpdate,
  changeTripUpdate,
  closeJobUpdate,
  protocolGaps,
  type FieldRequest,
  type MaterialLine,
  type Protocol,
  type SiteJobView,
  type Trip,
} from '../../workflows/jobs/definitions';
import { settledUpdate } from '../../workflows/tasks/definitions';
import type { UpdateDefinition } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import { authorize, documentFacts, projectFacts, type JobFacts } from '../access';
import { currentUser, type User } from '../auth';
import type { ApiDeps } from '../deps';
import { idempotencyKey, keyedResource } from '../idempotency';
import { badRequest, notFound, type FieldError } from '../problem';
import { AttachmentBody, CloseJobBody, ConfirmationBody, MaterialBody, ProtocolTextBody, TripBody, TripPatch, WorkBody, WorkOrderQuery } from '../schemas';
import { isClosedOrNotOpen, jobView } from '../views';
import { isEnabledInstaller } from './jobs';

type JobRow = typeof jobs.$inferSelect;

/** Great-circle distance in km, rounded to 0.1 km. */
export function haversineKm(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const rad = (deg: number) => (deg * Math.PI) / 180;
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return Math.round(2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h))) * 10) / 10;
}

const emptyProtocol = (): Protocol => ({ materials: [], work: [], attachments: [] });
const protocolView = (protocol: Protocol | undefined) => {
  const p = protocol ?? emptyProtocol();
  return { ...p, missing: protocolGaps(p) };
};

/** A trip as clients see it: without the update id that planned it (the workflow's bookkeeping). */
const publicTrip = ({ requestId: _request, ...trip }: Trip): Trip => trip;

export function createFieldWorkRouter({ database, temporal, config, documentStore }: ApiDeps): Router {
  const { db } = database;
  const router = Router();

  /** The job if the user may work on it: 404 unknown, 403 not theirs. */
  async function workable(req: Request): Promise<{ user: User; row: JobRow; facts: JobFacts }> {
    const user = currentUser(req);
    const [found] = await db
      .select({ row: jobs, customerId: projects.customerId })
      .from(jobs)
      .innerJoin(projects, eq(projects.id, jobs.projectId))
      .where(eq(jobs.id, String(req.params.id)));
    if (!found) throw notFound(`no job ${req.params.id}`);
    const { row } = found;
    const facts: JobFacts = { id: row.id, projectId: row.projectId, customerId: found.customerId, status: row.status, installerId: row.installerId };
    authorize(user, 'work', { kind: 'job', job: facts }, 'this job is not yours');
    return { user, row, facts };
  }

  /** Sends one change as its own update, keyed when the request has an Idempotency-Key (same key, other body: 422). */
  /** The change as an update; `made` finds what this very request created (a trip, a confirmation), also on a keyed retry. */
  async function send<C>(req: Request, user: User, row: JobRow, update: UpdateDefinition<SiteJobView, [FieldRequest<C>]>, change: C): Promise<SiteJobView & { made: <T extends { requestId?: string }>(items: T[] | undefined) => T }> {
    const key = idempotencyKey(req);
    const route = `${req.method} ${req.path}`;
    const updateId = key ? await keyedResource(db, `${route} ${user.id}`, key, req.body ?? {}, `${row.id}:${route}:${user.id}:${key}`) : crypto.randomUUID();
    const request: FieldRequest<C> = { change, actor: { id: user.id, role: user.role, name: user.name }, updateId, keyed: Boolean(key) };
    const view = await temporal.withDeadline(Date.now() + config.updateTimeoutMs, () =>
      temporal.workflow.getHandle(row.workflowId).executeUpdate(update, { args: [request], updateId }),
    );
    const made = <T extends { requestId?: string }>(items: T[] | undefined): T => {
      const item = items?.find((candidate) => candidate.requestId === updateId) ?? items!.at(-1)!;
      const { requestId: _request, ...rest } = item;
      return rest as T;
    };
    return Object.assign(view, { made });
  }

  async function installers(ids: string[], path: string): Promise<void> {
    const errors: FieldError[] = [];
    for (const [index, id] of ids.entries()) if (!(await isEnabledInstaller(db, id))) errors.push({ path: `${path}.${index}`, message: `no enabled installer ${id}` });
    if (errors.length) throw badRequest('technicians must be installers who can work', errors);
  }

  const tripOf = (view: SiteJobView, tripId: string): Trip => {
    const trip = view.trips?.find((candidate) => candidate.id === tripId);
    if (!trip) throw notFound(`no trip ${tripId} on this job`);
    return publicTrip(trip);
  };

  // --- trips ----------------------------------------------------------------------------

  router.get('/jobs/:id/trips', async (req, res) => {
    const { row } = await workable(req);
    res.json({ items: ((row.trips as Trip[] | null) ?? []).map(publicTrip), ...(row.tripStartedAt ? { tripStartedAt: row.tripStartedAt.toISOString() } : {}) });
  });

  router.post('/jobs/:id/trips', async (req, res) => {
    const { user, row } = await workable(req);
    const body = TripBody.parse(req.body);
    const technicianIds = body.technicianIds ?? (row.installerId ? [row.installerId] : []);
    if (!technicianIds.length) throw badRequest('the job has no installer yet: name the technicians', [{ path: 'technicianIds', message: 'required while the job has no installer' }]);
    await installers(technicianIds, 'technicianIds');
    const distanceKm = body.distanceKm ?? (await depotDistance(row.projectId));
    const trip = { type: body.type, technicianIds, plannedStart: body.plannedStart, ...(distanceKm !== undefined ? { distanceKm } : {}) };
    const view = await send(req, user, row, changeTripUpdate, { op: 'plan' as const, trip });
    const made = view.made(view.trips);
    res.status(201).location(`/jobs/${row.id}/trips/${made.id}`).json(made);
  });

  router.patch('/jobs/:id/trips/:tripId', async (req, res) => {
    const { user, row } = await workable(req);
    const body = TripPatch.parse(req.body);
    const view = await send(req, user, row, changeTripUpdate, { op: 'edit' as const, tripId: req.params.tripId, ...body });
    res.json(tripOf(view, req.params.tripId));
  });

  for (const op of ['start', 'arrive', 'finish'] as const) {
    router.post(`/jobs/:id/trips/:tripId/${op}`, async (req, res) => {
      const { user, row } = await workable(req);
      const view = await send(req, user, row, changeTripUpdate, { op, tripId: String(req.params.tripId) });
      res.json(tripOf(view, String(req.params.tripId)));
    });
  }

  /** From the configured depot to the site, when both are known. */
  async function depotDistance(projectId: string): Promise<number | undefined> {
    if (!config.depot) return undefined;
    const [site] = await db
      .select({ latitude: sites.latitude, longitude: sites.longitude })
      .from(sites)
      .innerJoin(projects, eq(projects.siteId, sites.id))
      .where(eq(projects.id, projectId));
    if (site?.latitude == null || site.longitude == null) return undefined;
    return haversineKm(config.depot, { latitude: site.latitude, longitude: site.longitude });
  }

  // --- the protocol ---------------------------------------------------------------------

  router.get('/jobs/:id/protocol', async (req, res) => {
    const { row } = await workable(req);
    res.json(protocolView(row.protocol as Protocol | undefined));
  });

  router.patch('/jobs/:id/protocol', async (req, res) => {
    const { user, row } = await workable(req);
    const body = ProtocolTextBody.parse(req.body);
    const view = await send(req, user, row, changeProtocolUpdate, { op: 'text' as const, ...body });
    res.json(protocolView(view.protocol));
  });

  router.post('/jobs/:id/protocol/materials', async (req, res) => {
    const { user, row } = await workable(req);
    const body = MaterialBody.parse(req.body);
    const line = await materialLine(body.articleId, body.quantity, 'articleId');
    const view = await send(req, user, row, changeProtocolUpdate, { op: 'addMaterial' as const, line });
    res.status(201).json(protocolView(view.protocol));
  });

  router.post('/jobs/:id/protocol/work', async (req, res) => {
    const { user, row } = await workable(req);
    const body = WorkBody.parse(req.body);
    const technicianId = body.technicianId ?? (user.role === 'installer' ? user.id : row.installerId);
    if (!technicianId) throw badRequest('name the technician who did the work', [{ path: 'technicianId', message: 'required while the job has no installer' }]);
    await installers([technicianId], 'technicianId');
    const view = await send(req, user, row, changeProtocolUpdate, { op: 'addWork' as const, line: { description: body.description, technicianId, minutes: body.minutes } });
    res.status(201).json(protocolView(view.protocol));
  });

  router.post('/jobs/:id/protocol/attachments', async (req, res) => {
    const { user, row } = await workable(req);
    const body = AttachmentBody.parse(req.body);
    await checkImage(user, row.projectId, body.documentId);
    const view = await send(req, user, row, changeProtocolUpdate, { op: 'addAttachment' as const, attachment: body });
    res.status(201).json(protocolView(view.protocol));
  });

  router.delete('/jobs/:id/protocol/materials/:lineId', async (req, res) => {
    const { user, row } = await workable(req);
    const view = await send(req, user, row, changeProtocolUpdate, { op: 'removeMaterial' as const, lineId: String(req.params.lineId) });
    res.json(protocolView(view.protocol));
  });

  router.delete('/jobs/:id/protocol/work/:lineId', async (req, res) => {
    const { user, row } = await workable(req);
    const view = await send(req, user, row, changeProtocolUpdate, { op: 'removeWork' as const, lineId: String(req.params.lineId) });
    res.json(protocolView(view.protocol));
  });

  router.delete('/jobs/:id/protocol/attachments/:documentId', async (req, res) => {
    const { user, row } = await workable(req);
    const view = await send(req, user, row, changeProtocolUpdate, { op: 'removeAttachment' as const, documentId: String(req.params.documentId) });
    res.json(protocolView(view.protocol));
  });

  /** A catalogue article as a line, at today's price. */
  async function materialLine(articleId: string, quantity: number, path: string): Promise<Omit<MaterialLine, 'id'>> {
    const [article] = await db.select().from(articles).where(and(eq(articles.id, articleId), eq(articles.active, true)));
    if (!article) throw badRequest('material must come from the article catalogue', [{ path, message: `no active article ${articleId}` }]);
    return { articleId: article.id, articleNumber: article.number, name: article.name, quantity, unit: article.unit, unitPriceCents: article.priceCents };
  }

  /**
   * An attachment is an image uploaded to the project that the user may read: typed by
   * its bytes at upload, within the photo size limit, and readable as an image.
   */
  async function checkImage(user: User, projectId: string, documentId: string): Promise<void> {
    const refuse = (message: string) => badRequest('the attachment must be an image uploaded to this project', [{ path: 'documentId', message }]);
    const [doc] = await db.select().from(documents).where(and(eq(documents.id, documentId), eq(documents.projectId, projectId)));
    if (!doc) throw refuse(`no document ${documentId} on this project`);
    if (user.role === 'installer') {
      const [project] = await db.select().from(projects).where(eq(projects.id, projectId));
      const facts = await documentFacts(db, doc, await projectFacts(db, project!));
      if (!facts.installerIds.includes(user.id)) throw refuse(`no document ${documentId} on this project`);
    }
    if (!doc.contentType.startsWith('image/')) throw refuse(`${doc.name} is not an image (${doc.contentType})`);
    if (doc.size > config.maxPhotoBytes) throw refuse(`${doc.name} is larger than ${config.maxPhotoBytes} bytes`);
    const chunks: Buffer[] = [];
    const stream = await documentStore.get(doc.storageKey).catch(() => {
      throw refuse(`the file of ${doc.name} is missing`);
    });
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    try {
      const size = imageSize(Buffer.concat(chunks));
      if (!size.width || !size.height) throw new Error('no dimensions');
    } catch {
      throw refuse(`${doc.name} cannot be read as an image`);
    }
  }

  // --- confirmations and the work order ---------------------------------------------------

  router.post('/jobs/:id/confirmations', async (req, res) => {
    const { user, row } = await workable(req);
    const body = ConfirmationBody.parse(req.body);
    const materials = [];
    for (const [index, line] of (body.materials ?? []).entries()) materials.push(await materialLine(line.articleId, line.quantity, `materials.${index}.articleId`));
    await installers(body.workers ?? [], 'workers');
    const change = { kind: body.kind, description: body.description, materials, workers: body.workers ?? [] };
    const view = await send(req, user, row, addConfirmationUpdate, change);
    const confirmation = view.made(view.confirmations);
    const order = view.workOrders?.find((candidate) => candidate.version === confirmation.version);
    res
      .status(201)
      .json({ confirmation, ...(order?.documentId ? { workOrder: workOrderView(row.id, { ...order, documentId: order.documentId }) } : {}) });
  });

  router.get('/jobs/:id/work-orders', async (req, res) => {
    const { row } = await workable(req);
    const rows = await db.select().from(workOrders).where(eq(workOrders.jobId, row.id)).orderBy(asc(workOrders.version));
    res.json({ items: rows.map((order) => workOrderView(row.id, { ...order, createdAt: order.createdAt.toISOString() })), nextCursor: null });
  });

  router.get('/jobs/:id/work-order.pdf', async (req, res) => {
    const { row } = await workable(req);
    const { version } = WorkOrderQuery.parse(req.query);
    const [order] = await db
      .select()
      .from(workOrders)
      .where(and(eq(workOrders.jobId, row.id), version ? eq(workOrders.version, version) : undefined))
      .orderBy(desc(workOrders.version))
      .limit(1);
    if (!order) throw notFound(version ? `no work order version ${version}` : 'no work order yet');
    const [doc] = await db.select().from(documents).where(eq(documents.id, order.documentId));
    if (!doc) throw notFound(`the file of work order version ${order.version} is missing`);
    const content = await documentStore.get(doc.storageKey).catch(() => {
      throw notFound(`the file of work order version ${order.version} is missing`);
    });
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Length', String(doc.size));
    res.setHeader('Content-Disposition', `attachment; filename="${doc.name}"`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('ETag', `"${doc.sha256}"`);
    content.pipe(res);
  });

  // --- closing --------------------------------------------------------------------------

  router.post('/jobs/:id/close', async (req, res) => {
    const { user, row } = await workable(req);
    const body = CloseJobBody.parse(req.body);
    let reason: string | undefined;
    try {
      reason = (await send(req, user, row, closeJobUpdate, body)).reason;
    } catch (err) {
      // A keyed retry after the job closed as asked (its workflow has ended): the same answer.
      const [now] = await db.select().from(jobs).where(eq(jobs.id, row.id));
      if (!(idempotencyKey(req) && isClosedOrNotOpen(err) && now?.outcome === 'not_carried_out')) throw err;
      res.json(jobView(now));
      return;
    }
    // The project acts on the job's end (its review): wait for that, so the answer is current.
    const [project] = await db.select({ workflowId: projects.workflowId }).from(projects).where(eq(projects.id, row.projectId));
    await temporal
      .withDeadline(Date.now() + config.updateTimeoutMs, () => temporal.workflow.getHandle(project!.workflowId).executeUpdate(settledUpdate, { args: [{ afterJobId: row.id }] }))
      .catch((err) => {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      });
    const [after] = await db.select().from(jobs).where(eq(jobs.id, row.id));
    res.json({ ...jobView(after ?? row), ...(reason ? { reason } : {}) });
  });

  return router;
}

function workOrderView(jobId: string, order: { version: number; documentId: string; reason: string; createdBy: string; createdAt: string }) {
  return {
    version: order.version,
    documentId: order.documentId,
    reason: order.reason,
    createdBy: order.createdBy,
    createdAt: order.createdAt,
    url: `/jobs/${jobId}/work-order.pdf?version=${order.version}`,
  };
}
