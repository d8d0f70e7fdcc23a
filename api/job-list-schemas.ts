// The shapes of the jobs list (GET /jobs): its query and its rows. Parsed with these, and
// documented from them in /openapi.json.
import { z } from 'zod';
import { CountedPage, DispatchJob, overdueFlag, sortOrder } from './schemas';

const time = z.iso.datetime({ offset: true });
/** The first instant PostgreSQL's timestamptz holds (it has no year 0). */
const YEAR_ONE = Date.parse('0001-01-01T00:00:00Z');
/** An instant the database can hold: it exists, and it is not before the year 1. */
const instant = time.refine((text) => Date.parse(text) >= YEAR_ONE, 'not a date and time that exists');

export const jobSorts = ['created', 'scheduled', 'customer', 'type', 'status'] as const;

export const JobQuery = z
  .object({
    status: z.enum(['open', 'prepared', 'done']).optional().meta({ description: 'open (waiting or under way), prepared (installation waiting for its day) or done' }),
    type: z.string().max(100).optional().meta({ description: 'audit, replacement, inspection or installation' }),
    customerId: z.string().optional(),
    siteId: z.string().optional(),
    projectId: z.string().optional(),
    installer: z.string().optional().meta({ description: 'An installer\'s user id, `me`, or `none` for jobs nobody has taken yet (offers)' }),
    from: instant.optional().meta({ description: 'Only jobs whose appointment starts at or after this time' }),
    to: instant.optional().meta({ description: 'Only jobs whose appointment starts before this time' }),
    overdue: overdueFlag.meta({ description: '`true`: only jobs with an open task past its due time' }),
    sort: z.enum(jobSorts).default('created').meta({ description: 'created (default, newest first), scheduled (soonest first; unscheduled last), customer (name), type or status' }),
    order: sortOrder,
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().optional(),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.to) > Date.parse(q.from), { path: ['to'], message: 'must be after from' });

export const JobListItem = DispatchJob.omit({ openTaskTypes: true })
  .extend({
    installerName: z.string().optional().meta({ description: "The installer's display name" }),
    createdAt: time,
    completedAt: time.optional(),
    customerName: z.string().optional().meta({ description: "The customer's name; not in an installer's view of an offer" }),
    overdue: z.boolean().meta({ description: 'An open task of the job is past its due time' }),
  })
  .meta({ id: 'JobListItem' });

export const JobPage = CountedPage(JobListItem);
