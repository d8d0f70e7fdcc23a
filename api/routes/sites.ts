// A site's asset register with its lineage: each position (asset) with its current make,
// model and serial, and every serial it has had, which one replaced which, when and by
// which task. Written by the read model from update_asset_register / update_asset_serials.
import { asc, desc, eq, inArray } from 'drizzle-orm';
import { Router } from 'express';
import { assetHistory, assets, customers, jobs, projects, sites, tasks, users } from '../../db/schema';
import { authorize, isStaff, siteFacts } from '../access';
import { currentUser, type User } from '../auth';
import { SitePatch } from '../customer-schemas';
import type { ApiDeps } from '../deps';
import { firstUse, idempotencyKey } from '../idempotency';
import { notFound } from '../problem';
import { editorNames, openStreetMapUrl, projectSummary, siteView, summaryColumns } from './customers';

const iso = (value: Date | null) => (value ? value.toISOString() : undefined);

export function createSitesRouter({ database, logger }: ApiDeps): Router {
  const { db } = database;
  const router = Router();

  /** The site if it exists (404) and the user may do this to it (403). */
  const visibleSite = async (user: User, id: string, action: 'read' | 'update' | 'overview') => {
    const facts = await siteFacts(db, id);
    if (!facts) throw notFound(`no site ${id}`);
    authorize(user, action, { kind: 'site', site: facts }, action === 'read' ? 'this site is not yours' : 'only office staff may do this');
    const [row] = await db.select().from(sites).where(eq(sites.id, facts.id));
    return row!;
  };

  const detail = async (row: typeof sites.$inferSelect, staff: boolean) => {
    const [[customer], names] = await Promise.all([
      db.select({ id: customers.id, name: customers.name }).from(customers).where(eq(customers.id, row.customerId)),
      editorNames(db, [row.updatedBy]),
    ]);
    // Who edited it last is the office's business.
    const view = siteView(row, staff ? names.get(row.updatedBy ?? '') : undefined);
    return { ...view, mapsUrl: openStreetMapUrl(row), customer: customer! };
  };

  router.get('/sites/:id', async (req, res) => {
    const user = currentUser(req);
    res.json(await detail(await visibleSite(user, req.params.id, 'read'), isStaff(user)));
  });

  // A staff edit of the address, NMI, phases or coordinates; a key reused with another body is 422.
  router.patch('/sites/:id', async (req, res) => {
    const user = currentUser(req);
    const existing = await visibleSite(user, req.params.id, 'update');
    const body = SitePatch.parse(req.body);
    const key = idempotencyKey(req);
    // A retry of an edit already made answers with the site as it is now (see PATCH /customers/:id).
    const row = await db.transaction(async (tx) => {
      if (key && !(await firstUse(tx, `PATCH /sites/${existing.id} ${user.id}`, key, body))) return existing;
      const [updated] = await tx
        .update(sites)
        .set({ ...body, ...(body.nmi ? { nmi: body.nmi.toUpperCase() } : {}), updatedAt: new Date(), updatedBy: user.id })
        .where(eq(sites.id, existing.id))
        .returning();
      return updated;
    });
    logger.info({ siteId: existing.id, by: user.id, fields: Object.keys(body) }, 'site edited');
    res.json(await detail(row!, true));
  });

  // The service history: every project at the site, newest first, with its visits and who made them.
  router.get('/sites/:id/history', async (req, res) => {
    const site = await visibleSite(currentUser(req), req.params.id, 'overview');
    const rows = await db
      .select(summaryColumns())
      .from(projects)
      .innerJoin(sites, eq(sites.id, projects.siteId))
      .where(eq(projects.siteId, site.id))
      .orderBy(desc(projects.createdAt), desc(projects.id))
      .limit(500);
    const visits = rows.length
      ? await db
          .select({ job: jobs, installerName: users.name })
          .from(jobs)
          .leftJoin(users, eq(users.id, jobs.installerId))
          .where(inArray(jobs.projectId, rows.map((row) => row.id)))
          .orderBy(asc(jobs.sequence))
      : [];
    const items = rows.map((row) => ({
      ...projectSummary(row),
      jobs: visits
        .filter(({ job }) => job.projectId === row.id)
        .map(({ job, installerName }) => ({
          id: job.id,
          type: job.type,
          status: job.status,
          ...(job.outcome ? { outcome: job.outcome } : {}),
          ...(job.scheduledStart ? { scheduledStart: job.scheduledStart.toISOString() } : {}),
          ...(job.completedAt ? { completedAt: job.completedAt.toISOString() } : {}),
          ...(job.installerId ? { installer: { id: job.installerId, name: installerName ?? job.installerId } } : {}),
        })),
    }));
    res.json({ items });
  });

  router.get('/sites/:id/assets', async (req, res) => {
    const user = currentUser(req);
    const site = await siteFacts(db, req.params.id);
    if (!site) throw notFound(`no site ${req.params.id}`);
    authorize(user, 'read', { kind: 'site', site }, 'this site is not yours');
    const [rows, steps] = await Promise.all([
      db.select().from(assets).where(eq(assets.siteId, site.id)).orderBy(asc(assets.createdAt), asc(assets.id)),
      db
        .select({ step: assetHistory, projectId: tasks.projectId, jobId: tasks.jobId, taskType: tasks.type })
        .from(assetHistory)
        .leftJoin(tasks, eq(tasks.id, assetHistory.taskId))
        .where(eq(assetHistory.siteId, site.id))
        .orderBy(asc(assetHistory.at), asc(assetHistory.id)),
    ]);
    // Which task and project made a change is office knowledge; others see what and when.
    const staff = isStaff(user);
    const items = rows.map((asset) => {
      const recorded = steps.filter(({ step }) => step.assetId === asset.id);
      const history = recorded.length
        ? recorded.map(({ step, projectId, jobId, taskType }) => ({
            serial: step.serial ?? undefined,
            ...(step.previousSerial ? { replaced: step.previousSerial } : {}),
            make: step.make,
            model: step.model,
            at: step.at.toISOString(),
            ...(staff ? { taskId: step.taskId ?? undefined, taskType: taskType ?? undefined, projectId: projectId ?? undefined, jobId: jobId ?? undefined } : {}),
          }))
        : // Registered before lineage was kept: its current serial is all that is known.
          [{ serial: asset.serial ?? undefined, make: asset.make, model: asset.model, at: (asset.installedAt ?? asset.createdAt).toISOString() }];
      return {
        id: asset.id,
        siteId: asset.siteId,
        make: asset.make,
        model: asset.model,
        serial: asset.serial ?? undefined,
        installedAt: iso(asset.installedAt),
        replacedAt: iso(asset.replacedAt),
        history,
      };
    });
    res.json({ items: items.map((item) => JSON.parse(JSON.stringify(item))), nextCursor: null });
  });

  return router;
}
