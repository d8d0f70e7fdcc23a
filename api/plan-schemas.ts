// The maintenance plan routes' shapes (API.md, "Routes for the customer side").
import { z } from 'zod';

const time = z.iso.datetime({ offset: true });

export const PlanBody = z
  .object({
    title: z.string().trim().min(1, 'name the plan, e.g. Annual inverter service').max(200),
    category: z.string().trim().min(1, 'say what it is about, e.g. inverter').max(80).meta({ description: "Each run's case has this category" }),
    every: z.string().max(40).optional().meta({ description: 'ISO 8601 duration: P1M, P2M, P3M, P4M, P6M or P1Y on the calendar, or a fixed length (P14D, PT12H; at least PLAN_MIN_INTERVAL)' }),
    cron: z.string().max(120).optional().meta({ description: 'Instead of `every`: five cron fields, read in the company time zone' }),
    startAt: time.meta({ description: 'The first run (and the phase of the ones after it)' }),
  })
  .meta({ id: 'PlanBody' });

export const PlanView = z
  .object({
    id: z.string(),
    siteId: z.string(),
    customerId: z.string(),
    title: z.string(),
    category: z.string(),
    every: z.string().optional(),
    cron: z.string().optional(),
    startAt: time,
    timeZone: z.string().meta({ description: 'The zone months and cron are read in' }),
    paused: z.boolean(),
    nextRunAt: time.optional().meta({ description: 'From the schedule; absent when paused, finished or Temporal did not answer' }),
    nextRuns: z.array(time),
    recentRuns: z.array(z.object({ scheduledAt: time, projectId: z.string().meta({ description: "The run's case" }) })),
    createdAt: time,
    createdBy: z.string().optional().meta({ description: 'Staff only' }),
  })
  .meta({ id: 'Plan' });

export const PlanList = z.object({ items: z.array(PlanView), nextCursor: z.null() }).meta({ id: 'PlanList' });
