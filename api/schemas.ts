// The HTTP contract's shapes as zod schemas: bodies are parsed with them and the
// OpenAPI document is generated from them.
import { z } from 'zod';
import { nmiSchema } from '../workflows/tasks/nmi';
import { jobTypes } from '../workflows/tasks/catalogue';
import { ChecklistItem } from './checklists/items';
export { ChecklistTemplateBody } from './checklists/items';

const id = z.string().min(1);
const time = z.iso.datetime({ offset: true });

/**
 * An email address within RFC 5321's limits (64 characters before the @, 63 per domain
 * label, 254 in all), which zod's own pattern leaves open: what a customer's answer
 * declares as `format: email` must be one by any validator's reading.
 */
export const Email = z
  .email({ error: 'an email address looks like name@example.com', pattern: /^(?:[A-Za-z0-9_'+\-]+\.)*[A-Za-z0-9_'+\-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/ })
  .max(254)
  .refine((email) => email.indexOf('@') <= 64, 'at most 64 characters before the @');

/** What an account can have: its email as users are created with it, a password of at most 200 characters. */
export const LoginBody = z
  .object({
    email: z.email().max(320).meta({ description: "The account's email (any case)" }),
    password: z.string().min(1).max(200),
  })
  .meta({ id: 'LoginBody' });
export const LoginAnswer = z
  .object({
    token: z.string(),
    user: z.object({ id, role: z.enum(['admin', 'supervisor', 'ops', 'installer', 'customer']), name: z.string(), customerId: id.optional() }),
  })
  .meta({ id: 'LoginAnswer' });

export const CustomerBody = z
  .object({ name: z.string().min(1).max(200), email: Email.optional(), phone: z.string().max(50).optional() })
  .meta({ id: 'CustomerBody' });
export const Customer = CustomerBody.extend({ id, createdAt: time, updatedAt: time.optional().meta({ description: 'When it was last edited' }) }).meta({ id: 'Customer' });

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
export const Site = SiteBody.extend({ id, customerId: id, nmi: z.string().optional(), createdAt: time, updatedAt: time.optional().meta({ description: 'When it was last edited' }) }).meta({ id: 'Site' });

export const ProjectBody = z
  .object({
    kind: z.enum(['sales', 'service']),
    customerId: id,
    siteId: id,
    title: z.string().max(200).optional(),
    raisedBy: z.enum(['customer', 'staff']).optional().meta({ description: 'Who raised the case (service): `customer` makes a supervisor approve the service order' }),
  })
  .meta({ id: 'ProjectBody' });

export const CaseBody = z
  .object({
    siteId: id,
    category: z.string().trim().min(1, 'say what it is about').max(80).meta({ description: 'What the case is about, e.g. inverter, battery, panels' }),
    description: z.string().trim().min(1, 'describe what happened or what you need').max(4000),
    kind: z.enum(['issue', 'request', 'deviation']).optional().meta({ description: 'issue (default), request or deviation' }),
    customerId: id.optional().meta({ description: 'Staff only: the customer the case is for' }),
    raisedBy: z.enum(['customer', 'staff']).optional().meta({ description: 'Staff only: `staff` when the office raises it itself (default `customer`: approval applies)' }),
  })
  .meta({ id: 'CaseBody' });

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
    assignee: z.string().optional().meta({ description: 'A user id, group:<role>, or group:<id> of a staff group (a responsibility rule routed it there)' }),
    claimedBy: z.string().optional().meta({ description: 'The group member who took it (POST /tasks/{id}/claim)' }),
    claimedAt: time.optional(),
    dueAt: time.optional(),
    createdAt: time,
    completedAt: time.optional(),
    completedBy: z.string().optional(),
    payload: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'Task' });

/** A row of GET /tasks: the task with what a list shows beside it, so a page is one request. */
export const TaskListItem = TaskView.extend({
  projectTitle: z.string().optional(),
  customerName: z.string().optional().meta({ description: "The project's customer (staff only)" }),
  siteAddress: z.string().optional(),
  job: z
    .object({
      type: z.string(),
      sequence: z.number().int(),
      status: z.enum(['open', 'prepared', 'done']),
      scheduledStart: time.optional(),
      scheduledEnd: time.optional(),
      installerId: z.string().optional(),
    })
    .optional()
    .meta({ description: "The task's job, when it belongs to one" }),
}).meta({ id: 'TaskListItem' });

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
    scheduledEnd: time.optional().meta({ description: 'End of the appointment window, when one was booked on the dispatch board' }),
    installerId: z.string().optional(),
    workflowId: z.string().optional().meta({ description: "The job's workflow; not shown to customers" }),
  })
  .meta({ id: 'Job' });

/** What closing a job answers: the job, with the reason it was not carried out. */
export const ClosedJobView = JobView.extend({ reason: z.string().optional().meta({ description: 'Why it was not carried out' }) }).meta({ id: 'ClosedJob' });

export const customerStatuses = ['planned', 'in_progress', 'completed', 'cancelled', 'problem'] as const;
export const CustomerStatus = z.enum(customerStatuses).meta({
  id: 'CustomerStatus',
  description:
    'Customer-facing status (seed 002), from the read model: completed (closed resolved/completed), cancelled (not required, rejected, cancelled), ' +
    'problem (unresolved, or the latest job failed or was not carried out), in_progress (an open job whose first trip started or whose scheduled start has passed; ' +
    'for service, also a case whose latest job completed and awaits its review), planned (any other open case)',
});

export const ProjectView = z
  .object({
    id,
    kind: z.enum(['sales', 'service']),
    title: z.string().optional(),
    stage: z.string(),
    status: z.enum(['planned', 'in_progress', 'completed', 'cancelled', 'problem']).meta({ description: "The workflow's own status (kept for older clients; see customerStatus)" }),
    customerStatus: CustomerStatus,
    outcome: z.string().optional(),
    customerId: id,
    siteId: id,
    siteAddress: z.string().optional().meta({ description: "The site's address, in an installer's offer view (to judge the offer) and in the staff's list" }),
    customerName: z.string().optional().meta({ description: "The customer's name, in the staff's list (GET /projects)" }),
    workflowId: z.string().optional().meta({ description: "The project's workflow; not shown to customers" }),
    case: z
      .object({
        kind: z.string(),
        category: z.string(),
        description: z.string(),
        source: z.string(),
        contactName: z.string().optional(),
        contactPhone: z.string().optional(),
        contactEmail: z.string().optional(),
      })
      .optional()
      .meta({ description: 'What the case was raised with (GET /projects/{id} of a case raised through POST /cases, the QR form or a plan): kind, category, description, where it came from, and the contact the QR form gave' }),
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
/** A page of a list that also says how many items match its filters in all. */
export const CountedPage = <T extends z.ZodType>(item: T) =>
  Page(item).extend({
    total: z.number().int().meta({ description: 'How many items match the filters, over all pages (at most 1000: see totalCapped)' }),
    totalCapped: z.boolean().meta({ description: 'true: at least `total` items match (counting stops there)' }),
  });

export const sortOrder = z.enum(['asc', 'desc']).optional().meta({ description: 'Direction; by default newest first for times, A to Z for words' });
export const overdueFlag = z.enum(['true', 'false']).optional();

export const projectSorts = ['created', 'updated', 'title', 'stage', 'customer'] as const;
export const ProjectQuery = z.object({
  kind: z.enum(['sales', 'service']).optional(),
  stage: z.string().optional(),
  status: CustomerStatus.optional().meta({ description: 'Customer-facing status' }),
  customerId: z.string().optional(),
  siteId: z.string().optional(),
  assignee: z.string().optional().meta({ description: 'Staff: projects with an open task for this user id, group:<role> or `me` (me and my groups), or an open job of this installer' }),
  overdue: overdueFlag.meta({ description: '`true`: only projects with an open task past its due time' }),
  sort: z.enum(projectSorts).default('created').meta({ description: 'created (default), updated, title, stage or customer (name)' }),
  order: sortOrder,
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
});

export const SearchQuery = z.object({
  q: z.string().trim().min(2, 'type at least two characters').max(200),
  limit: z.coerce.number().int().min(1).max(20).default(10),
});

export const SearchAnswer = z
  .object({
    query: z.string(),
    projects: z.array(
      z.object({
        id,
        kind: z.enum(['sales', 'service']),
        title: z.string().optional(),
        stage: z.string(),
        status: z.string(),
        outcome: z.string().optional(),
        customerStatus: CustomerStatus,
        customerId: id,
        customerName: z.string(),
        siteId: id,
        siteAddress: z.string(),
        createdAt: time,
        matched: z.enum(['number', 'job', 'title', 'customer', 'site']).meta({ description: 'What found it' }),
        jobId: id.optional().meta({ description: 'The job whose number was searched for' }),
      }),
    ),
    customers: z.array(z.object({ id, name: z.string(), email: z.string().optional(), phone: z.string().optional() })),
    sites: z.array(z.object({ id, customerId: id, customerName: z.string(), address: z.string() })),
  })
  .meta({ id: 'SearchAnswer' });

export const TaskQuery = z.object({
  projectId: z.string().optional(),
  status: z.enum(['open', 'done', 'cancelled']).optional(),
  assignee: z.string().optional().meta({ description: '`me` for my tasks and my groups\' tasks, or a user id or group:<role>' }),
  type: z.string().optional(),
  overdue: overdueFlag.meta({ description: '`true`: only open tasks past their due time' }),
  sort: z.enum(['created', 'due']).default('created').meta({ description: 'created (default, newest first) or due (soonest first; tasks without a due time last)' }),
  order: sortOrder,
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
export const JobMessageBody = z
  .object({
    body: z.string().trim().min(1, 'write a message').max(4000),
    documentIds: z.array(id).max(10).optional().meta({ description: 'Photos uploaded to the project first' }),
  })
  .strict()
  .meta({ id: 'JobMessageBody' });
export const JobMessage = z
  .object({ id, jobId: id, author: z.object({ id, name: z.string(), role: z.string() }), body: z.string(), documentIds: z.array(id), createdAt: time })
  .meta({ id: 'JobMessage' });
const JobCardTask = z.object({ id, type: z.string(), title: z.string(), dueAt: time.optional() });
export const JobCard = z
  .object({
    job: z.object({ id, type: z.string(), sequence: z.number().int(), status: z.string(), outcome: z.string().optional(), scheduledStart: time.optional(), scheduledEnd: time.optional(), installer: z.object({ id, name: z.string() }).optional() }),
    project: z.object({ id, kind: z.string(), title: z.string().optional() }),
    site: z.object({ address: z.string(), mapsUrl: z.string(), nmi: z.string().optional(), phases: z.number().int().optional() }),
    customer: z.object({ id: id.optional().meta({ description: 'Staff only' }), name: z.string(), phone: z.string().optional(), phoneUrl: z.string().optional(), email: z.string().optional() }),
    problem: z.object({ description: z.string().optional(), category: z.string().optional() }),
    notes: z.array(z.object({ taskType: z.string(), title: z.string(), note: z.string(), by: z.string().nullable(), at: time })),
    equipment: z.array(z.object({ id, make: z.string(), model: z.string(), serial: z.string().nullable(), installedAt: time.nullable() })),
    lastVisits: z.array(z.object({ id, type: z.string(), outcome: z.string().nullable(), completedAt: time, installerName: z.string().nullable() })),
    next: z.array(JobCardTask),
  })
  .meta({ id: 'JobCard' });
export const InvoiceDraft = z
  .object({
    projectId: id,
    currency: z.string(),
    lines: z.array(
      z.object({
        kind: z.enum(['material', 'labour', 'proposal']),
        description: z.string(),
        jobId: id.optional(),
        articleNumber: z.string().optional(),
        quantity: z.number(),
        unit: z.string(),
        unitPriceCents: z.number().int(),
        amountCents: z.number().int().meta({ description: 'The line rounded to the cent; the subtotal is rounded from the exact amounts' }),
      }),
    ),
    subtotalCents: z.number().int(),
    taxBasisPoints: z.number().int(),
    taxCents: z.number().int(),
    totalCents: z.number().int(),
    basis: z.enum(['protocol', 'proposal']),
  })
  .meta({ id: 'InvoiceDraft' });
export const AssignJobBody = z.object({ installerId: id }).meta({ id: 'AssignJobBody' });
export const UserView = z
  .object({ id, email: z.string(), name: z.string(), role: z.enum(['admin', 'supervisor', 'ops', 'installer', 'customer']), customerId: id.optional(), disabled: z.boolean(), createdAt: time })
  .meta({ id: 'User' });

export const AssetStep = z
  .object({
    serial: z.string().optional(),
    replaced: z.string().optional().meta({ description: 'The serial this one replaced (none for the first one known)' }),
    make: z.string(),
    model: z.string(),
    at: time,
    taskId: id.optional().meta({ description: 'staff only: the task that recorded it' }),
    taskType: z.string().optional().meta({ description: 'staff only' }),
    projectId: id.optional().meta({ description: 'staff only' }),
    jobId: id.optional().meta({ description: 'staff only' }),
  })
  .meta({ id: 'AssetStep' });
export const AssetView = z
  .object({
    id,
    siteId: id,
    make: z.string(),
    model: z.string(),
    serial: z.string().optional(),
    installedAt: time.optional().meta({ description: 'When the current unit was recorded' }),
    replacedAt: time.optional().meta({ description: 'When the position last got another serial' }),
    history: z.array(AssetStep).meta({ description: 'Every serial of the position, oldest first' }),
  })
  .meta({ id: 'Asset' });
// --- field work: articles, trips, the protocol, confirmations, work orders -------------

const cents = z.number().int().min(0).max(100_000_000).meta({ description: 'Price in cents' });
export const ArticleBody = z
  .object({
    number: z.string().min(1).max(50).meta({ description: 'Article number, unique' }),
    name: z.string().min(1).max(200),
    unit: z.string().min(1).max(20).meta({ description: 'pcs, m, h …' }),
    priceCents: cents,
    active: z.boolean().optional(),
  })
  .strict()
  .meta({ id: 'ArticleBody' });
export const ArticlePatch = ArticleBody.partial().strict().meta({ id: 'ArticlePatch' });
export const Article = ArticleBody.extend({ id, active: z.boolean(), createdAt: time }).meta({ id: 'Article' });
export const ArticleQuery = z.object({ includeInactive: z.enum(['true', 'false']).optional() });

const km = z.number().min(0).max(20_000).meta({ description: 'Kilometres, one decimal' });
export const TripBody = z
  .object({
    type: z.enum(['field_trip', 'customer_visit']),
    technicianIds: z.array(id).min(1).max(20).optional().meta({ description: "Installers on the trip; the job's installer when left out" }),
    plannedStart: time,
    distanceKm: km.optional().meta({ description: "Pre-filled from the depot and the site's coordinates when left out" }),
  })
  .strict()
  .meta({ id: 'TripBody' });
export const TripPatch = z.object({ distanceKm: km.optional(), plannedStart: time.optional() }).strict().meta({ id: 'TripPatch' });
export const Trip = z
  .object({
    id,
    type: z.enum(['field_trip', 'customer_visit']),
    technicianIds: z.array(id),
    plannedStart: time,
    distanceKm: z.number().optional(),
    startedAt: time.optional(),
    arrivedAt: time.optional(),
    finishedAt: time.optional(),
    createdBy: id,
  })
  .meta({ id: 'Trip' });
export const TripList = z.object({ items: z.array(Trip), tripStartedAt: time.optional() }).meta({ id: 'TripList' });

const text = z.string().max(10_000);
export const ProtocolTextBody = z
  .object({ fault: text.optional(), solution: text.optional() })
  .strict()
  .refine((body) => body.fault !== undefined || body.solution !== undefined, { message: 'give fault, solution or both' })
  .meta({ id: 'ProtocolTextBody' });
// 1.001 × 1000 is 1000.9999999999999 in floating point: compare with a tolerance.
const quantity = z.number().positive().max(1_000_000).refine((n) => Math.abs(n * 1000 - Math.round(n * 1000)) < 1e-6, { message: 'at most three decimals' });
export const MaterialBody = z.object({ articleId: id, quantity }).strict().meta({ id: 'MaterialBody' });
export const WorkBody = z
  .object({
    description: z.string().min(1).max(2000),
    technicianId: id.optional().meta({ description: "Who did it; the job's installer when left out" }),
    minutes: z.number().int().min(1).max(24 * 60),
  })
  .strict()
  .meta({ id: 'WorkBody' });
export const AttachmentBody = z
  .object({ documentId: id.meta({ description: 'An image uploaded to the project' }), kind: z.enum(['before', 'after', 'photo', 'handover_signature']) })
  .strict()
  .meta({ id: 'AttachmentBody' });
const MaterialLine = z
  .object({ id, articleId: id, articleNumber: z.string(), name: z.string(), quantity: z.number(), unit: z.string(), unitPriceCents: z.number().int() })
  .meta({ id: 'MaterialLine' });
export const Protocol = z
  .object({
    fault: z.string().optional(),
    solution: z.string().optional(),
    materials: z.array(MaterialLine),
    work: z.array(z.object({ id, description: z.string(), technicianId: id, minutes: z.number().int() })),
    attachments: z.array(AttachmentBody),
    missing: z.array(z.object({ path: z.string(), message: z.string() })).meta({ description: 'What the field step still needs before it may finish' }),
  })
  .meta({ id: 'Protocol' });

export const ConfirmationBody = z
  .object({
    kind: z.enum(['more_material', 'more_workers', 'unforeseen_service']),
    description: z.string().min(1).max(2000),
    materials: z.array(MaterialBody).max(50).optional(),
    workers: z.array(id).max(20).optional().meta({ description: 'Installers joining the job' }),
  })
  .strict()
  .meta({ id: 'ConfirmationBody' });
export const WorkOrder = z
  .object({ version: z.number().int(), documentId: id, reason: z.string(), createdBy: z.string(), createdAt: time, url: z.string() })
  .meta({ id: 'WorkOrder' });
export const ConfirmationAnswer = z
  .object({
    confirmation: z.object({ id, kind: z.string(), description: z.string(), materials: z.array(MaterialLine), workers: z.array(id), by: id, at: time, version: z.number().int() }),
    workOrder: WorkOrder.optional(),
  })
  .meta({ id: 'ConfirmationAnswer' });
export const CloseJobBody = z.object({ outcome: z.literal('not_carried_out'), reason: z.string().min(1).max(2000) }).strict().meta({ id: 'CloseJobBody' });
export const WorkOrderQuery = z.object({ version: z.coerce.number().int().min(1).max(2_147_483_647).optional() });

// --- the dispatch board ----------------------------------------------------------------

/** A day or a week, at most 31 days. */
export const DispatchQuery = z
  .object({ from: time, to: time })
  .refine((q) => Date.parse(q.to) > Date.parse(q.from), { path: ['to'], message: 'must be after from' })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 31 * 86_400_000, { path: ['to'], message: 'the board shows at most 31 days' })
  .meta({ id: 'DispatchQuery' });

export const ScheduleJobBody = z
  .object({
    installerId: id.meta({ description: 'The installer who does the job' }),
    start: time.meta({ description: 'Start of the appointment window' }),
    end: time.meta({ description: 'End of the appointment window' }),
  })
  .refine((b) => Date.parse(b.end) > Date.parse(b.start), { path: ['end'], message: 'the appointment must end after it starts' })
  .refine((b) => Date.parse(b.end) - Date.parse(b.start) <= 24 * 3_600_000, { path: ['end'], message: 'an appointment lasts at most a day' })
  .meta({ id: 'ScheduleJobBody' });

export const DispatchJob = z
  .object({
    id,
    projectId: id,
    projectTitle: z.string().optional(),
    type: z.string(),
    sequence: z.number().int(),
    status: z.enum(['open', 'prepared', 'done']),
    outcome: z.string().optional(),
    installerId: z.string().optional(),
    scheduledStart: time.optional(),
    scheduledEnd: time.optional(),
    customerId: id,
    customerName: z.string(),
    siteId: id,
    address: z.string(),
    openTaskTypes: z.array(z.string()).meta({ description: 'What the job waits for now' }),
  })
  .meta({ id: 'DispatchJob' });

export const DispatchBoard = z
  .object({
    from: time,
    to: time,
    lanes: z.array(z.object({ installerId: id, name: z.string(), disabled: z.boolean(), jobs: z.array(DispatchJob) })),
    queue: z.array(DispatchJob).meta({ description: 'Open jobs without an installer (offers) or without an appointment, newest first (at most 200)' }),
    queueTotal: z.number().int().meta({ description: 'How many jobs wait to be booked in all' }),
  })
  .meta({ id: 'DispatchBoard' });
/** A template version is a PostgreSQL integer: a larger one is a 400, not a failed query. */
export const TemplateVersionQuery = z.object({ version: z.coerce.number().int().min(1).max(2_147_483_647).optional() });
