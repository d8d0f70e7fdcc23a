// Maintenance plans over HTTP (API.md, "Routes for the customer side"): the office makes,
// pauses, resumes and deletes a site's plans; the site's customer reads them. Each plan is
// a Temporal Schedule with the plan's id; api/plans.ts holds the order of the steps.
import { and, eq, inArray, ne } from 'drizzle-orm';
import { Router } from 'express';
import { ScheduleNotFoundError } from '@temporalio/client';
import { maintenancePlans } from '../../db/schema';
import { authorize, isStaff, siteFacts, type Action } from '../access';
import { currentUser, type User } from '../auth';
import type { ApiDeps } from '../deps';
import { idempotencyKey, keyedResource } from '../idempotency';
import { newId } from '../ids';
import { PlanBody } from '../plan-schemas';
import { cronShape, cronTooOften, deleteSchedule, ensureSchedule, parseEvery, planView, scheduleFacts, settlePlan, type PlanRow } from '../plans';
import { badRequest, fieldsDetail, forbidden, notFound, zodErrors, type FieldError } from '../problem';

/** Fixed lengths beyond ten years are a typo, not a plan. */
const MAX_FIXED_INTERVAL_MS = 3660 * 86_400_000;
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);

/** The body, or a 400 naming every field that is wrong, the interval's rules included. */
function parsePlanBody(body: unknown, minIntervalMs: number) {
  const parsed = PlanBody.safeParse(body);
  const errors: FieldError[] = parsed.success ? [] : zodErrors(parsed.error);
  const raw = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const every = typeof raw.every === 'string' ? raw.every : undefined;
  const cron = typeof raw.cron === 'string' ? raw.cron : undefined;
  if (every !== undefined && cron !== undefined) errors.push({ path: 'cron', message: 'give either every or cron, not both' });
  else if (every === undefined && cron === undefined && raw.every === undefined && raw.cron === undefined) {
    errors.push({ path: 'every', message: 'say how often: every (an ISO 8601 duration such as P6M) or cron' });
  }
  if (every !== undefined) {
    const interval = parseEvery(every, minIntervalMs);
    if (typeof interval === 'string') errors.push({ path: 'every', message: interval });
    else if (interval.kind === 'fixed' && interval.ms > MAX_FIXED_INTERVAL_MS) errors.push({ path: 'every', message: 'at most ten years (P3660D) between runs' });
  }
  if (cron !== undefined) {
    const problem = cronShape(cron);
    if (problem) errors.push({ path: 'cron', message: problem });
  }
  if (parsed.success) {
    const start = Date.parse(parsed.data.startAt);
    if (start < EARLIEST || start >= LATEST) errors.push({ path: 'startAt', message: 'a date between the years 2000 and 2099' });
  }
  if (errors.length || !parsed.success) throw badRequest(fieldsDetail(errors), errors);
  return parsed.data;
}

export function createPlansRouter({ database, temporal, config, logger }: ApiDeps): Router {
  const { db } = database;
  const router = Router();

  /** The site (404) if the user may do this with its plans (403). */
  const siteFor = async (user: User, siteId: string, action: Action) => {
    const site = await siteFacts(db, siteId);
    if (!site) throw notFound(`no site ${siteId}`);
    authorize(user, action, { kind: 'site', site }, action === 'readPlans' ? 'this site is not yours' : 'only office staff change maintenance plans');
    return site;
  };

  /** A plan that is not deleted (404), if the user may change it (403). `deleting` ones too, for a retried delete. */
  const planFor = async (user: User, planId: string, { deleting = false } = {}) => {
    // Only the office changes plans: anyone else is refused before a plan id tells them anything.
    if (!isStaff(user)) throw forbidden('only office staff change maintenance plans');
    const [plan] = await db
      .select()
      .from(maintenancePlans)
      .where(and(eq(maintenancePlans.id, planId), inArray(maintenancePlans.state, deleting ? ['pending', 'active', 'deleting'] : ['pending', 'active'])));
    if (!plan) throw notFound(`no plan ${planId}`);
    await siteFor(user, plan.siteId, 'manage');
    return plan;
  };

  const answer = async (user: User, plan: PlanRow) => planView(plan, await scheduleFacts(temporal, config, plan, logger), isStaff(user));

  router.post('/sites/:id/plans', async (req, res) => {
    const user = currentUser(req);
    const site = await siteFor(user, req.params.id, 'manage');
    const body = parsePlanBody(req.body, config.plans.minIntervalMs);
    const key = idempotencyKey(req);
    const id = key ? await keyedResource(db, `POST /sites/${site.id}/plans ${user.id}`, key, body, newId('pln')) : newId('pln');
    // The row first, `pending`: whatever happens next, settlePlan finishes it (api/plans.ts).
    await db
      .insert(maintenancePlans)
      .values({
        id,
        siteId: site.id,
        customerId: site.customerId,
        title: body.title,
        category: body.category,
        every: body.every ?? null,
        cron: body.cron?.trim() ?? null,
        startAt: new Date(body.startAt),
        timeZone: config.companyTimeZone,
        createdBy: user.id,
      })
      .onConflictDoNothing();
    const [row] = await db.select().from(maintenancePlans).where(eq(maintenancePlans.id, id));
    const plan = await settlePlan(database, temporal, config, row!);
    if (!plan) throw notFound(`no plan ${id}`);
    if (plan.cron && plan.state === 'active') {
      const tooOften = await cronTooOften(temporal, config, plan.id);
      if (tooOften) {
        // Never a plan for anyone: the schedule and the row go, as if it had not been asked.
        await deleteSchedule(temporal, plan.id);
        await db.delete(maintenancePlans).where(eq(maintenancePlans.id, plan.id));
        throw badRequest(fieldsDetail([tooOften]), [tooOften]);
      }
    }
    logger.info({ planId: plan.id, siteId: site.id, by: user.id, every: plan.every, cron: plan.cron }, 'maintenance plan created');
    res.status(201).location(`/sites/${site.id}/plans`).json(await answer(user, plan));
  });

  router.get('/sites/:id/plans', async (req, res) => {
    const user = currentUser(req);
    const site = await siteFor(user, req.params.id, 'readPlans');
    const rows = await db
      .select()
      .from(maintenancePlans)
      .where(and(eq(maintenancePlans.siteId, site.id), ne(maintenancePlans.state, 'deleted')))
      .orderBy(maintenancePlans.createdAt, maintenancePlans.id);
    // Half-done plans (a crash between the row and the schedule) are finished here.
    const settled = await Promise.all(
      rows.map((row) =>
        settlePlan(database, temporal, config, row).catch((err) => {
          if (row.state === 'pending' && (err as { status?: number }).status === 400) return undefined; // refused by Temporal: gone
          logger.warn({ err, planId: row.id }, 'maintenance plan not settled yet');
          return row;
        }),
      ),
    );
    const live = settled.filter((row): row is PlanRow => Boolean(row) && !row!.deletedAt);
    res.json({ items: await Promise.all(live.map((row) => answer(user, row))), nextCursor: null });
  });

  for (const change of ['pause', 'resume'] as const) {
    router.post(`/plans/:id/${change}`, async (req, res) => {
      const user = currentUser(req);
      const found = await planFor(user, req.params.id);
      const plan = (await settlePlan(database, temporal, config, found))!;
      const paused = change === 'pause';
      // The schedule first: it decides whether runs happen. Then the row, which lists read.
      try {
        const handle = temporal.schedule.getHandle(plan.id);
        if (paused) await handle.pause(`paused by ${user.name ?? user.id}`);
        else await handle.unpause(`resumed by ${user.name ?? user.id}`);
      } catch (err) {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
        await ensureSchedule(temporal, config, { ...plan, paused });
      }
      const [row] = await db.update(maintenancePlans).set({ paused, updatedAt: new Date() }).where(eq(maintenancePlans.id, plan.id)).returning();
      logger.info({ planId: plan.id, by: user.id, paused }, `maintenance plan ${paused ? 'paused' : 'resumed'}`);
      res.json(await answer(user, row!));
    });
  }

  router.delete('/plans/:id', async (req, res) => {
    const user = currentUser(req);
    const plan = await planFor(user, req.params.id, { deleting: true });
    // The row first: a run that fires from now on finds the plan deleted and makes no case.
    const [marked] = await db
      .update(maintenancePlans)
      .set({ state: 'deleting', deletedAt: plan.deletedAt ?? new Date(), updatedAt: new Date() })
      .where(and(eq(maintenancePlans.id, plan.id), ne(maintenancePlans.state, 'deleted')))
      .returning();
    if (marked) await settlePlan(database, temporal, config, marked);
    logger.info({ planId: plan.id, by: user.id }, 'maintenance plan deleted');
    res.status(204).end();
  });

  return router;
}
