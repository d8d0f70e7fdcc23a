// The shapes of the office's oversight routes: a person's notifications and the
// supervisor's overview. Parsed with these, and documented from them in /openapi.json.
import { z } from 'zod';

const id = z.string().min(1);
const time = z.iso.datetime({ offset: true });

export const NotificationQuery = z
  .object({
    unread: z.enum(['true', 'false']).optional().meta({ description: '`true` for the unread ones only' }),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().optional(),
  })
  .strict();

export const ReadAllBody = z
  .object({
    before: time.optional().meta({ description: 'Only those that arrived at or before this time (the newest one the person saw)' }),
  })
  .strict()
  .meta({ id: 'ReadAllBody' });

export const NotificationView = z
  .object({
    id,
    projectId: id,
    projectTitle: z.string().optional(),
    taskId: id.optional(),
    kind: z.string().meta({ description: '`task.overdue` or `task.escalated`' }),
    summary: z.string(),
    /** Whom it was sent to: the person, or their group. */
    recipient: z.string().meta({ description: 'A user id, or `group:<role>` for everyone in that role' }),
    at: time,
    read: z.boolean(),
  })
  .meta({ id: 'Notification' });

export const NotificationPage = z
  .object({ items: z.array(NotificationView), nextCursor: z.string().nullable(), unreadCount: z.number().int() })
  .meta({ id: 'NotificationPage' });

const Workload = z.object({
  assignee: z.string().meta({ description: 'A user id, or `group:<role>` for work nobody in the group has taken yet' }),
  name: z.string(),
  role: z.string().optional(),
  open: z.number().int(),
  overdue: z.number().int(),
  escalated: z.number().int(),
});

const WorkItem = z.object({
  taskId: id,
  type: z.string(),
  title: z.string(),
  projectId: id,
  projectTitle: z.string().optional(),
  customerName: z.string(),
  assignee: z.string().optional(),
  assigneeName: z.string(),
  createdAt: time,
  dueAt: time.optional(),
  overdueAt: time.optional(),
  escalatedAt: time.optional(),
});

export const SupervisorOverview = z
  .object({
    totals: z.object({ open: z.number().int(), overdue: z.number().int(), escalated: z.number().int(), approvals: z.number().int() }),
    people: z.array(Workload),
    groups: z.array(Workload.extend({ members: z.number().int().meta({ description: "Open tasks its members have taken (counted under people too)" }) })),
    overdue: z.array(WorkItem),
    approvals: z.array(WorkItem.extend({ reason: z.string().optional(), estimateCents: z.number().int().optional() })),
  })
  .meta({ id: 'SupervisorOverview' });
export type SupervisorOverview = z.infer<typeof SupervisorOverview>;
