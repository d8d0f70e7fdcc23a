// Maintenance plans: each plan IS a Temporal Schedule whose id is the plan's id. The
// schedule starts `plannedCase` (workflows/plans) at every fire time; that run starts the
// site's case through api/start-project.ts.
//
// The order, so that a crash anywhere leaves something the next step finishes:
//   create  the row first (`pending`), then the schedule (ScheduleAlreadyRunning means it
//           is there: done), then the row `active`. A retry with the same Idempotency-Key
//           lands on the same plan id and does the same steps again.
//   delete  the row `deleting` with `deleted_at` first (a run that fires now finds it and
//           makes no case), then the schedule (not found means gone: done), then `deleted`.
//   pause,  the schedule first, then the row. The schedule is the truth for whether it
//   resume  fires; the view reads its state, and a retry of the request converges.
// Rows left `pending` or `deleting` are finished by the next request that lists their
// site, and by `settlePlans` when the API starts. A schedule that vanished under an
// `active` row (deleted by hand in the Temporal UI) is made again the same way.
import { and, eq, inArray } from 'drizzle-orm';
import { MONTHS, ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleDescription, type ScheduleSpec } from '@temporalio/client';
import { parse as parseIsoDuration } from 'tinyduration';
import type { Database } from '../db';
import { maintenancePlans } from '../db/schema';
import type { Config } from '../runtime/config';
import type { Logger } from '../runtime/logger';
import { plannedProjectId } from '../activities/plans';
import { plannedCaseWorkflowIdPrefix, type PlannedCaseInput } from '../workflows/plans/definitions';
import { badRequest, type FieldError } from './problem';

export type PlanRow = typeof maintenancePlans.$inferSelect;
export type PlanConfig = Pick<Config, 'taskQueue' | 'plans' | 'companyTimeZone'>;

/** How often a plan runs: a fixed length, whole months on the calendar, or cron. */
export type Interval = { kind: 'fixed'; ms: number } | { kind: 'months'; months: number } | { kind: 'cron'; cron: string };

/** Month counts that repeat on the same months every year (P1M … P6M, P1Y). */
const CALENDAR_MONTHS = [1, 2, 3, 4, 6, 12];

const words = (ms: number) => {
  const units: [number, string][] = [[86_400_000, 'day'], [3_600_000, 'hour'], [60_000, 'minute'], [1000, 'second']];
  const [size, unit] = units.find(([size]) => ms % size === 0) ?? [1, 'millisecond'];
  const count = ms / size;
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
};

/** An ISO 8601 duration as a plan's interval, or what is wrong with it in plain words. */
export function parseEvery(every: string, minIntervalMs: number): Interval | string {
  let d;
  try {
    d = parseIsoDuration(every);
  } catch {
    return 'an ISO 8601 duration such as P6M (every 6 months), P1Y or P14D';
  }
  if (d.negative) return 'a plan cannot run backwards in time';
  const months = (d.years ?? 0) * 12 + (d.months ?? 0);
  const rest = (d.weeks ?? 0) * 604_800 + (d.days ?? 0) * 86_400 + (d.hours ?? 0) * 3600 + (d.minutes ?? 0) * 60 + (d.seconds ?? 0);
  if (months) {
    if (rest) return 'months and years cannot be mixed with days or hours; use one or the other (P6M, or P182D)';
    if (!Number.isInteger(months) || !CALENDAR_MONTHS.includes(months)) return 'in months: P1M, P2M, P3M, P4M, P6M or P1Y (other lengths: give days, such as P540D)';
    return { kind: 'months', months };
  }
  const ms = Math.round(rest * 1000);
  if (!(ms > 0)) return 'must be longer than zero';
  if (ms < minIntervalMs) return `at least ${words(minIntervalMs)} between runs`;
  return { kind: 'fixed', ms };
}

const CRON_MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@hourly'];
/** A cheap look at a cron expression before Temporal, the real judge, reads it. */
export function cronShape(cron: string): string | undefined {
  const text = cron.trim();
  if (text.startsWith('@')) return CRON_MACROS.includes(text.toLowerCase()) ? undefined : `one of ${CRON_MACROS.join(', ')}, or five fields (minute hour day-of-month month day-of-week)`;
  const fields = text.split(/\s+/);
  if (fields.length !== 5) return 'five fields: minute hour day-of-month month day-of-week, such as "0 8 1 */6 *"';
  if (!fields.every((field) => /^[0-9A-Za-z*,\-/?]+$/.test(field))) return 'each field is numbers, names, *, ranges (1-5), lists (1,15) or steps (*/6)';
  return undefined;
}

export function planInterval(plan: Pick<PlanRow, 'every' | 'cron'>, minIntervalMs = 0): Interval {
  if (plan.cron) return { kind: 'cron', cron: plan.cron };
  const interval = parseEvery(plan.every!, minIntervalMs);
  if (typeof interval === 'string') throw new Error(`plan interval ${plan.every}: ${interval}`);
  return interval;
}

/** The parts of a time on the plan's clock (its zone), for calendar specs. */
function localParts(at: Date, timeZone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' })
      .formatToParts(at)
      .map((part) => [part.type, Number(part.value)]),
  ) as Record<string, number>;
  return { month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/**
 * When the schedule fires. A fixed length fires at `startAt` and every length after it (the
 * interval's offset puts `startAt` on its grid). Months fire on `startAt`'s day of the month
 * and time of day on the plan's clock; a day after the 28th becomes the 28th, so a short
 * month never loses its run. Cron is read on the plan's clock.
 */
export function scheduleSpec(plan: PlanRow): ScheduleSpec {
  const interval = planInterval(plan);
  const startAt = plan.startAt;
  if (interval.kind === 'fixed') return { intervals: [{ every: interval.ms, offset: ((startAt.getTime() % interval.ms) + interval.ms) % interval.ms }], startAt };
  if (interval.kind === 'cron') return { cronExpressions: [interval.cron.trim()], timezone: plan.timeZone, startAt };
  const local = localParts(startAt, plan.timeZone);
  const months = Array.from({ length: 12 / interval.months }, (_, i) => MONTHS[(local.month - 1 + i * interval.months) % 12]!);
  return {
    calendars: [{ month: months, dayOfMonth: Math.min(local.day, 28), hour: local.hour, minute: local.minute, second: local.second, comment: `every ${interval.months} month(s)` }],
    timezone: plan.timeZone,
    // A second before, so a first run exactly at startAt is not cut off.
    startAt: new Date(startAt.getTime() - 1000),
  };
}

/**
 * Temporal refused the schedule's spec (a cron expression it cannot read): the client turns
 * the server's INVALID_ARGUMENT into a TypeError carrying the server's words.
 */
const isInvalidArgument = (err: unknown) => err instanceof TypeError || (err as { cause?: { code?: number } })?.cause?.code === 3 || (err as { code?: number })?.code === 3;

/** Makes the plan's schedule if it is not there yet; ScheduleAlreadyRunning means it is. */
export async function ensureSchedule(temporal: Client, config: PlanConfig, plan: PlanRow): Promise<void> {
  const input: PlannedCaseInput = { planId: plan.id };
  try {
    await temporal.schedule.create({
      scheduleId: plan.id,
      spec: scheduleSpec(plan),
      action: {
        type: 'startWorkflow',
        workflowType: 'plannedCase',
        workflowId: plannedCaseWorkflowIdPrefix(plan.id),
        taskQueue: config.taskQueue,
        args: [input],
        staticSummary: `Maintenance plan run: ${plan.title}`.slice(0, 200),
      },
      policies: {
        // SKIP: runs missed while Temporal or the workers were away are caught up as ONE
        // run. When Temporal comes back it takes every missed fire time inside the catch-up
        // window in order; the first starts a run, and while that run is open each further
        // one is skipped. BUFFER_ONE would keep one more and start it after the first: two
        // cases for one outage. A run still open at the next fire time (its worker away)
        // skips that one too, so an outage of the workers never piles up runs either.
        overlap: ScheduleOverlapPolicy.SKIP,
        catchupWindow: config.plans.catchupWindowMs,
      },
      state: { paused: plan.paused, note: plan.paused ? 'paused in Fieldflow' : `plan for site ${plan.siteId}` },
      memo: { siteId: plan.siteId, customerId: plan.customerId, title: plan.title },
    });
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return;
    throw err;
  }
}

/** Deletes the plan's schedule; one that is not there is gone already. */
export async function deleteSchedule(temporal: Client, planId: string): Promise<void> {
  try {
    await temporal.schedule.getHandle(planId).delete();
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
}

/**
 * Brings a `pending` or `deleting` row in line with Temporal, and answers the row as it is
 * after. A pending plan whose spec Temporal refuses never existed for anyone: its row goes,
 * and the refusal is the caller's 400.
 */
export async function settlePlan(database: Database, temporal: Client, config: PlanConfig, plan: PlanRow): Promise<PlanRow | undefined> {
  const { db } = database;
  if (plan.state === 'pending') {
    try {
      await ensureSchedule(temporal, config, plan);
    } catch (err) {
      if (!isInvalidArgument(err)) throw err;
      await db.delete(maintenancePlans).where(and(eq(maintenancePlans.id, plan.id), eq(maintenancePlans.state, 'pending')));
      throw badRequest('Temporal cannot read this schedule', [{ path: plan.cron ? 'cron' : 'every', message: `Temporal cannot read it: ${(err as Error).message}`.slice(0, 300) }]);
    }
    const [row] = await db.update(maintenancePlans).set({ state: 'active' }).where(and(eq(maintenancePlans.id, plan.id), eq(maintenancePlans.state, 'pending'))).returning();
    return row ?? (await db.select().from(maintenancePlans).where(eq(maintenancePlans.id, plan.id)))[0];
  }
  if (plan.state === 'deleting') {
    await deleteSchedule(temporal, plan.id);
    const [row] = await db.update(maintenancePlans).set({ state: 'deleted' }).where(and(eq(maintenancePlans.id, plan.id), eq(maintenancePlans.state, 'deleting'))).returning();
    return row;
  }
  return plan;
}

/**
 * A cron plan that runs more often than PLAN_MIN_INTERVAL: read from Temporal's own next
 * fire times, since Temporal is what reads the expression.
 */
export async function cronTooOften(temporal: Client, config: PlanConfig, planId: string): Promise<FieldError | undefined> {
  const { info } = await temporal.schedule.getHandle(planId).describe();
  const times = info.nextActionTimes.map((time) => time.getTime());
  for (let i = 1; i < times.length; i++) {
    if (times[i]! - times[i - 1]! < config.plans.minIntervalMs) return { path: 'cron', message: `at least ${words(config.plans.minIntervalMs)} between runs` };
  }
  return undefined;
}

/** The plans left half-done by a crash, finished when the API starts. */
export async function settlePlans({ database, temporal, config, logger }: { database: Database; temporal: Client; config: PlanConfig; logger: Logger }): Promise<number> {
  const rows = await database.db.select().from(maintenancePlans).where(inArray(maintenancePlans.state, ['pending', 'deleting']));
  let settled = 0;
  for (const row of rows) {
    try {
      await settlePlan(database, temporal, config, row);
      settled++;
    } catch (err) {
      logger.warn({ err, planId: row.id }, 'maintenance plan not settled; the next request for its site tries again');
    }
  }
  if (rows.length) logger.info({ settled, of: rows.length }, 'maintenance plans settled');
  return settled;
}

/** What the schedule says about a plan: paused, the next fire times, the runs taken. */
export interface ScheduleFacts {
  paused: boolean;
  nextRuns: Date[];
  recentRuns: { scheduledAt: Date; startedAt: Date }[];
}

/** The schedule's facts, remaking a schedule that vanished under an active plan; undefined when Temporal does not answer. */
export async function scheduleFacts(temporal: Client, config: PlanConfig, plan: PlanRow, logger?: Logger): Promise<ScheduleFacts | undefined> {
  let description: ScheduleDescription;
  try {
    description = await temporal.schedule.getHandle(plan.id).describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError && plan.state === 'active' && !plan.deletedAt) {
      logger?.warn({ planId: plan.id }, 'the schedule of an active maintenance plan was gone; made again');
      await ensureSchedule(temporal, config, plan).catch(() => undefined);
    } else logger?.warn({ err, planId: plan.id }, 'could not describe a maintenance plan schedule');
    return undefined;
  }
  return {
    paused: description.state.paused,
    nextRuns: description.info.nextActionTimes,
    recentRuns: description.info.recentActions.map((action) => ({ scheduledAt: action.scheduledAt, startedAt: action.takenAt })),
  };
}

/** A plan as the API answers it; who made it only for the office. */
export function planView(plan: PlanRow, facts: ScheduleFacts | undefined, staff: boolean) {
  return {
    id: plan.id,
    siteId: plan.siteId,
    customerId: plan.customerId,
    title: plan.title,
    category: plan.category,
    ...(plan.every ? { every: plan.every } : {}),
    ...(plan.cron ? { cron: plan.cron } : {}),
    startAt: plan.startAt.toISOString(),
    timeZone: plan.timeZone,
    paused: facts?.paused ?? plan.paused,
    ...(facts?.nextRuns[0] ? { nextRunAt: facts.nextRuns[0].toISOString() } : {}),
    nextRuns: (facts?.nextRuns ?? []).slice(0, 5).map((time) => time.toISOString()),
    // Each run's case has the id derived from the plan and the run's time (activities/plans.ts).
    recentRuns: (facts?.recentRuns ?? []).map((run) => ({ scheduledAt: run.scheduledAt.toISOString(), projectId: plannedProjectId(plan.id, run.scheduledAt.toISOString()) })),
    createdAt: plan.createdAt.toISOString(),
    ...(staff ? { createdBy: plan.createdBy } : {}),
  };
}
