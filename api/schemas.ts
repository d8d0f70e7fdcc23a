// The HTTP contract's shapes as zod schemas: bodies are parsed with them and the
// OpenAPI document is generated from them.
import { z } from 'zod';
import { nmiSchema } from '../workflows/tasks/nmi';
import { jobTypes } from '../workflows/tasks/catalogue';
import { ChecklistItem } from './checklists/items';
export { ChecklistTemplateBody } from './checklists/items';

const id = z.string().min(1);
const time = z.iso.datetime({ offset: true });

export const LoginBody = z.object({ email: z.string().min(1), password: z.string().min(1) }).meta({ id: 'LoginBody' });
export const LoginAnswer = z
  .object({
    token: z.string(),
    user: z.object({ id, role: z.enum(['admin', 'supervisor', 'ops', 'installer', 'customer']), name: z.string(), customerId: id.optional() }),
  })
  .meta({ id: 'LoginAnswer' });

export const CustomerBody = z
  .object({ name: z.string().min(1).max(200), email: z.email().optional(), phone: z.string().max(50).optional() })
  .meta({ id: 'CustomerBody' });
export const Customer = CustomerBody.extend({ id, createdAt: time }).meta({ id: 'Customer' });

export { nmiChecksum } from '../workflows/tasks/nmi';

const nmi = nmiSchema();

export const SiteBody = z
  .object({
    address: z.string().min(1).max(500),
    phases: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
    nmi: nmi.optional(),
    latitude: z.number().min(-90).max(90).optional(),
    longitude: z.number().min(-180).max(180).optional(),
  })
  .meta({ id: 'SiteBody' });
export const Site = SiteBody.extend({ id, customerId: id, nmi: z.string().optional(), createdAt: time }).meta({ id: 'Site' });

export const ProjectBody = z
  .object({ kind: z.enum(['sales', 'service']), customerId: id, siteId: id, title: z.string().max(200).optional() })
  .meta({ id: 'ProjectBody' });

export const CancelBody = z.object({ reason: z.string().min(1).max(2000) }).meta({ id: 'CancelBody' });

export const TaskView = z
  .object({
    id,
    projectId: id,
    jobId: id.optional(),
    type: z.string(),
    title: z.string(),
    stage: z.string(),
    status: z.enum(['open', 'done', 'cancelled']),
    assignee: z.string().optional().meta({ description: 'A user id, or group:<role>' }),
    dueAt: time.optional(),
    createdAt: time,
    completedAt: time.optional(),
    completedBy: z.string().optional(),
    payload: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'Task' });

export const TaskDetail = TaskView.extend({
  templateVersion: z.number().int().optional().meta({ description: 'For a checklist: the template version it was opened with and is checked against' }),
  schema: z.record(z.string(), z.unknown()).meta({ description: 'The JSON Schema its payload must fit; for a checklist, built from its template version (x-itemType, x-unit, x-document tell forms which control to draw)' }),
}).meta({ id: 'TaskDetail' });

export const ChecklistTemplate = z
  .object({
    taskType: z.string(),
    version: z.number().int(),
    title: z.string(),
    items: z.array(ChecklistItem),
    createdBy: z.string(),
    createdAt: time,
    versions: z.array(z.object({ version: z.number().int(), createdBy: z.string(), createdAt: time })).optional().meta({ description: 'Every version, newest first (single template only)' }),
  })
  .meta({ id: 'ChecklistTemplate' });

export const JobView = z
  .object({
    id,
    type: z.enum([...jobTypes, 'inspection', 'installation']),
    sequence: z.number().int(),
    status: z.enum(['open', 'done']),
    outcome: z.string().optional(),
    scheduledStart: time.optional(),
    installerId: z.string().optional(),
    workflowId: z.string(),
  })
  .meta({ id: 'Job' });

export const ProjectView = z
  .object({
    id,
    kind: z.enum(['sales', 'service']),
    title: z.string().optional(),
    stage: z.string(),
    status: z.enum(['planned', 'in_progress', 'completed', 'cancelled', 'problem']).meta({ description: 'Customer-facing status' }),
    outcome: z.string().optional(),
    customerId: id,
    siteId: id,
    siteAddress: z.string().optional().meta({ description: "The site's address, in an installer's offer view (to judge the offer)" }),
    workflowId: z.string(),
    createdAt: time,
    updatedAt: time,
    openTasks: z.array(TaskView),
    jobs: z.array(JobView),
  })
  .meta({ id: 'Project' });

export const CompleteAnswer = z.object({ task: TaskView, project: ProjectView }).meta({ id: 'CompleteAnswer' });

export const TimelineEntry = z
  .object({
    id,
    projectId: id,
    jobId: id.optional(),
    at: time,
    kind: z.string(),
    actor: z.object({ id: z.string(), role: z.string() }),
    summary: z.string(),
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'TimelineEntry' });

export const DocumentView = z
  .object({ id, name: z.string(), size: z.number().int(), sha256: z.string(), contentType: z.string(), projectId: id, jobId: id.optional(), uploadedBy: z.string().optional().meta({ description: 'staff only' }), createdAt: time })
  .meta({ id: 'Document' });

/** Events of the design tool (source `design`), from its webhooks. */
export const DesignEvent = z
  .object({
    type: z.enum(['proposal.sent', 'proposal.signed', 'deposit.paid']),
    projectId: id,
    designProjectId: z.string().max(200).optional(),
    proposalId: z.string().max(200).optional(),
    amount: z.number().nonnegative().optional(),
  })
  .meta({ id: 'DesignEvent' });

export const ManufacturerEvent = z
  .object({
    type: z.literal('manufacturer.outcome'),
    projectId: id,
    outcome: z.enum(['resolved', 'site_visit_required', 'unable_to_resolve']),
    jobType: z.enum(jobTypes).optional(),
    note: z.string().max(10_000).optional(),
    reference: z.string().max(200).optional(),
  })
  .refine((event) => event.outcome !== 'site_visit_required' || event.jobType, { path: ['jobType'], message: 'jobType is required when a site visit is required' })
  .meta({ id: 'ManufacturerOutcomeEvent' });

export const Page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const ProjectQuery = z.object({
  kind: z.enum(['sales', 'service']).optional(),
  stage: z.string().optional(),
  customerId: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
});

export const TaskQuery = z.object({
  projectId: z.string().optional(),
  status: z.enum(['open', 'done', 'cancelled']).optional(),
  assignee: z.string().optional().meta({ description: '`me` for my tasks and my groups\' tasks, or a user id or group:<role>' }),
  type: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
});

export const PageQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(200), cursor: z.string().optional() });

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });

export const Me = z.object({ id, role: z.enum(['admin', 'supervisor', 'ops', 'installer', 'customer']), name: z.string(), customerId: id.optional() }).meta({ id: 'Me' });
export const StreamTicket = z.object({ ticket: z.string(), expiresAt: time }).meta({ id: 'StreamTicket' });
export const AssignJobBody = z.object({ installerId: id }).meta({ id: 'AssignJobBody' });
export const UserView = z
  .object({ id, email: z.string(), name: z.string(), role: z.enum(['admin', 'supervisor', 'ops', 'installer', 'customer']), customerId: id.optional(), disabled: z.boolean(), createdAt: time })
  .meta({ id: 'User' });
