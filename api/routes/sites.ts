// A site's asset register with its lineage: each position (asset) with its current make,
// model and serial, and every serial it has had, which one replaced which, when and by
// which task. Written by the read model from update_asset_register / update_asset_serials.
import { asc, eq } from 'drizzle-orm';
import { Router } from 'express';
import { assetHistory, assets, tasks } from '../../db/schema';
import { authorize, isStaff, siteFacts } from '../access';
import { currentUser } from '../auth';
import type { ApiDeps } from '../deps';
import { notFound } from '../problem';

const iso = (value: Date | null) => (value ? value.toISOString() : undefined);

export function createSitesRouter({ database }: ApiDeps): Router {
  const { db } = database;
  const router = Router();

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
