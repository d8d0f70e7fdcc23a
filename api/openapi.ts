// The OpenAPI 3.1 document, generated from the same zod schemas the routes parse with.
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { z } from 'zod';
import { taskSchema, taskTypes } from '../workflows/tasks/catalogue';
import { MAX_IDEMPOTENCY_KEY_LENGTH } from './idempotency';
import { withLinks } from './openapi-links';
import * as s from './schemas';
import { UserBody } from './user-accounts';
import * as office from './customer-schemas';
import * as sv from './supervision-schemas';
import * as plans from './plan-schemas';
import * as qr from './qr/schemas';
import * as reports from './report-schemas';
import { XLSX_TYPE } from './articles-workbook';
import { PeriodQuery } from './period';
import * as routing from './routing-schemas';
import * as thread from './case-message-schemas';
import * as inv from './invitations';
import * as jl from './job-list-schemas';

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: s.Problem } } });
const errors = {
  400: problem('Bad input; nothing was written'),
  401: problem('No or bad token'),
  403: problem('Not allowed for this role, or not yours'),
  404: problem('Unknown'),
};

const reusedKey = { 422: problem('This Idempotency-Key was used before with another body') };
const op = (summary: string, rest: Partial<ZodOpenApiOperationObject>): ZodOpenApiOperationObject => ({
  summary,
  ...rest,
  responses: { ...errors, ...(rest.requestParams?.header === idempotency ? reusedKey : {}), ...(rest.responses ?? {}) },
});

const idParam = z.object({ id: z.string() });
const tripParam = z.object({ id: z.string(), tripId: z.string() });
const lineParam = z.object({ id: z.string(), lineId: z.string() });
const idempotency = z.object({
  'Idempotency-Key': z.string().min(1).max(MAX_IDEMPOTENCY_KEY_LENGTH).optional().meta({ description: 'Repeats with the same key have one effect' }),
});
/** api/start-project.ts: the workflow runs, its first state is not in the read model within the update timeout. */
const lateStart = problem('Started, but not readable yet: retry with the same Idempotency-Key');
const tooMany = (what: string) => ({ 429: problem(`Too many ${what}; try again in a minute`) });

// One schema per task type, so clients see each payload.
const TaskPayload = z.union(Object.keys(taskTypes).map((name) => taskSchema(name)!) as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]).meta({
  id: 'TaskPayload',
  description: 'The payload of the task type: see the task type schemas',
});

const paths: ZodOpenApiPathsObject = {
  '/healthz': { get: { summary: 'Liveness', security: [], responses: { 200: { description: 'Alive' } } } },
  '/readyz': { get: { summary: 'Readiness: Temporal and the database answer', security: [], responses: { 200: { description: 'Ready' }, 503: problem('Not ready') } } },
  '/auth/login': {
    post: op('Log in', { security: [], requestBody: json(s.LoginBody), responses: { 200: { description: 'A token', ...json(s.LoginAnswer) }, 401: problem('Wrong email or password'), ...tooMany('login attempts') } }),
  },
  '/customers': {
    post: op('Create a customer', { requestBody: json(s.CustomerBody), responses: { 201: { description: 'Created', ...json(s.Customer) } } }),
    get: op('List customers', { requestParams: { query: s.PageQuery }, responses: { 200: { description: 'A page', ...json(s.Page(s.Customer)) } } }),
  },
  '/customers/{id}': {
    get: op('One customer', { requestParams: { path: idParam }, responses: { 200: { description: 'The customer', ...json(office.CustomerDetail) } } }),
    patch: op("Change a customer's name, email or phone (staff; a key reused with another body: 422)", {
      requestParams: { path: idParam, header: idempotency },
      requestBody: json(office.CustomerPatch),
      responses: { 200: { description: 'The customer', ...json(office.CustomerDetail) } },
    }),
  },
  '/customers/{id}/invitations': {
    post: op("Invite a customer's contact to the portal by email (staff): a customer user and a mail with a single-use sign-in link", {
      requestParams: { path: idParam },
      requestBody: json(inv.InvitationBody),
      responses: { 201: { description: 'Invited; the mail is on its way', ...json(inv.Invitation) }, 409: problem('The email belongs to another user') },
    }),
    get: op("The customer's invitations, newest first (staff)", { requestParams: { path: idParam }, responses: { 200: { description: 'All of them', ...json(z.object({ items: z.array(inv.Invitation) })) } } }),
  },
  '/invitations/{token}': {
    get: op('Who an invitation link is for, while it can be used (public, rate-limited)', {
      security: [],
      requestParams: { path: z.object({ token: z.string() }) },
      responses: { 200: { description: 'The invitation', ...json(inv.InvitationPreview) }, 410: problem('Used, replaced by a newer invitation, or expired'), ...tooMany('invitation requests') },
    }),
  },
  '/invitations/{token}/accept': {
    post: op('Choose a password with an invitation link and sign in (public, rate-limited; the link works once)', {
      security: [],
      requestParams: { path: z.object({ token: z.string() }) },
      requestBody: json(inv.AcceptInvitationBody),
      responses: { 200: { description: 'Signed in, as POST /auth/login answers', ...json(s.LoginAnswer) }, 410: problem('Used, replaced by a newer invitation, or expired'), ...tooMany('invitation requests') },
    }),
  },
  '/customers/{id}/overview': {
    get: op("The customer's page (staff): contacts, sites, open and past projects, documents", {
      requestParams: { path: idParam },
      responses: { 200: { description: 'The overview', ...json(office.CustomerOverview) } },
    }),
  },
  '/sites/{id}': {
    get: op('One site, with a map link and its customer', { requestParams: { path: idParam }, responses: { 200: { description: 'The site', ...json(office.SiteDetail) } } }),
    patch: op("Change a site's address, NMI, phases or coordinates (staff; a key reused with another body: 422)", {
      requestParams: { path: idParam, header: idempotency },
      requestBody: json(office.SitePatch),
      responses: { 200: { description: 'The site', ...json(office.SiteDetail) } },
    }),
  },
  '/sites/{id}/history': {
    get: op("The site's service history (staff): its projects, newest first, each with its visits", {
      requestParams: { path: idParam },
      responses: { 200: { description: 'All of it', ...json(office.SiteHistory) } },
    }),
  },
  '/customers/{id}/sites': {
    post: op('Add a site', { requestParams: { path: idParam }, requestBody: json(s.SiteBody), responses: { 201: { description: 'Created', ...json(s.Site) } } }),
    get: op('List sites', { requestParams: { path: idParam, query: s.PageQuery }, responses: { 200: { description: 'A page', ...json(s.Page(s.Site)) } } }),
  },
  '/projects': {
    post: op('Create a project; its workflow starts (a key reused with another body: 422)', {
      requestParams: { header: idempotency },
      requestBody: json(s.ProjectBody),
      responses: { 201: { description: 'Created', ...json(s.ProjectView) }, 409: problem('The site already has an active sales project'), 503: lateStart },
    }),
    get: op('List projects, newest first or by another column, with the total of the filters', { requestParams: { query: s.ProjectQuery }, responses: { 200: { description: 'A page', ...json(s.CountedPage(s.ProjectView)) } } }),
  },
  '/cases': {
    post: op('Raise a case: a customer for their own site (the customer projection answers), or staff with `customerId`; a service project starts', {
      requestParams: { header: idempotency },
      requestBody: json(s.CaseBody),
      responses: { 201: { description: 'Created', ...json(s.ProjectView) }, ...tooMany('cases raised (CASES_PER_HOUR, customers only)'), 503: lateStart },
    }),
  },
  '/sites/{id}/plans': {
    post: op("Add a maintenance plan to a site (staff): a Temporal Schedule with the plan's id starts a maintenance case at every run", {
      requestParams: { path: idParam, header: idempotency },
      requestBody: json(plans.PlanBody),
      responses: { 201: { description: 'The plan, with its next runs', ...json(plans.PlanView) }, 503: problem('Temporal or the database did not answer; retry with the same key') },
    }),
    get: op("The site's maintenance plans, oldest first (staff, the site's customer)", {
      requestParams: { path: idParam },
      responses: { 200: { description: 'All of them in one page', ...json(plans.PlanList) } },
    }),
  },
  '/plans/{id}/pause': {
    post: op('Pause a maintenance plan (staff): its schedule starts no case until resumed', {
      requestParams: { path: idParam },
      responses: { 200: { description: 'The plan', ...json(plans.PlanView) }, 503: problem('Temporal or the database did not answer; retry') },
    }),
  },
  '/plans/{id}/resume': {
    post: op('Resume a paused maintenance plan (staff)', {
      requestParams: { path: idParam },
      responses: { 200: { description: 'The plan, with its next runs', ...json(plans.PlanView) }, 503: problem('Temporal or the database did not answer; retry') },
    }),
  },
  '/plans/{id}': {
    delete: op('Delete a maintenance plan and its schedule (staff); its cases stay', {
      requestParams: { path: idParam },
      responses: { 204: { description: 'Deleted' }, 503: problem('Temporal or the database did not answer; retry') },
    }),
  },
  // QR intake: the codes (signed in), and the public form they open (no token needed: the code is the key).
  '/sites/{id}/qr': {
    get: op("The site's QR code (staff and the site's customer): it holds the public form's URL with the site's current token; the same code until revoked or expired", {
      requestParams: { path: idParam, query: qr.QrFormat },
      responses: {
        200: { description: 'image/png (default) or image/svg+xml', content: { 'image/png': { schema: z.string().meta({ format: 'binary' }) }, 'image/svg+xml': { schema: z.string() } } },
        503: problem('The code is being made by another request; retry in a moment'),
      },
    }),
  },
  '/sites/{id}/qr/revoke': {
    post: op("Revoke the site's current QR code (staff): it answers 410 from now on, and the next GET makes a new one", {
      requestParams: { path: idParam },
      responses: { 200: { description: 'Revoked (or there was none)', ...json(qr.QrRevoked) } },
    }),
  },
  '/customers/{id}/qr-sheet': {
    get: op("A printable A4 sheet (PDF) with one labelled QR code per site of the customer (staff and the customer)", {
      requestParams: { path: idParam },
      responses: {
        200: { description: 'application/pdf', content: { 'application/pdf': { schema: z.string().meta({ format: 'binary' }) } } },
        503: problem('A code is being made by another request; retry in a moment'),
      },
    }),
  },
  '/qr/{token}': {
    get: {
      summary: 'The public form a QR code opens (no account): a browser gets the page, JSON clients what it is prefilled with',
      security: [],
      requestParams: { path: z.object({ token: z.string() }) },
      responses: {
        200: { description: 'What the form shows', ...json(qr.QrForm) },
        400: problem('A bad address'),
        401: problem('Not one of our codes: altered, damaged or signed with another key'),
        410: problem('The code was revoked or has expired'),
        ...tooMany('look-ups'),
      },
    },
  },
  '/qr/{token}/cases': {
    post: {
      summary: 'Report a deviation through a QR code (no account; rate-limited per address and per code): a case starts, raised by the customer',
      security: [],
      requestParams: { path: z.object({ token: z.string() }), header: idempotency },
      requestBody: json(qr.QrCaseBody),
      responses: {
        201: { description: 'The case number', ...json(qr.QrCaseAnswer) },
        400: problem('Bad input (every field named); nothing was written'),
        401: problem('Not one of our codes: altered, damaged or signed with another key; nothing starts'),
        410: problem('The code was revoked or has expired; nothing starts'),
        ...reusedKey,
        ...tooMany('reports'),
        503: problem('Retry with the same Idempotency-Key'),
      },
    },
  },
  '/search': {
    get: op('Find projects, customers and sites (staff): customer name, address, phone, email, project title or number, job number; typos forgiven', {
      requestParams: { query: s.SearchQuery },
      responses: { 200: { description: 'Results grouped by kind, best first', ...json(s.SearchAnswer) } },
    }),
  },
  '/projects/{id}': { get: op('One project', { requestParams: { path: idParam }, responses: { 200: { description: 'The project view', ...json(s.ProjectView) } } }) },
  '/projects/{id}/cancel': {
    post: op('Cancel a project in any stage (supervisor, admin); running jobs stop', {
      requestParams: { path: idParam },
      requestBody: json(s.CancelBody),
      responses: { 200: { description: 'The project view', ...json(s.ProjectView) }, 409: problem('The project is closed') },
    }),
  },
  '/projects/{id}/timeline': {
    get: op('Timeline, oldest first', { requestParams: { path: idParam, query: s.PageQuery }, responses: { 200: { description: 'A page', ...json(s.Page(s.TimelineEntry)) } } }),
  },
  '/projects/{id}/documents': {
    post: op('Upload a document', {
      requestParams: { path: idParam },
      requestBody: { content: { 'multipart/form-data': { schema: z.object({ file: z.string().meta({ format: 'binary' }), jobId: z.string().optional().meta({ description: "the job it belongs to; an installer's upload goes to their open job" }) }) } } },
      responses: { 201: { description: 'Stored', ...json(s.DocumentView) }, 413: problem('Too large'), 415: problem('Not an image, PDF, plain text or office document (judged by its bytes)'), ...tooMany('uploads') },
    }),
    get: op("The project's documents, oldest first", { requestParams: { path: idParam }, responses: { 200: { description: 'All of them in one page', ...json(s.Page(s.DocumentView)) } } }),
  },
  '/documents/{id}': { get: op('Download a document', { requestParams: { path: idParam }, responses: { 200: { description: 'The file, with its content type' } } }) },
  '/tasks': { get: op('List tasks, newest first or soonest due, with the total of the filters', { requestParams: { query: s.TaskQuery }, responses: { 200: { description: 'A page', ...json(s.CountedPage(s.TaskListItem)) } } }) },
  '/tasks/{id}': { get: op('One task, with the JSON Schema of its payload', { requestParams: { path: idParam }, responses: { 200: { description: 'The task', ...json(s.TaskDetail) } } }) },
  '/tasks/{id}/complete': {
    post: op('Complete a task', {
      requestParams: { path: idParam, header: idempotency },
      requestBody: json(TaskPayload),
      responses: { 200: { description: 'The task and the project after it', ...json(s.CompleteAnswer) }, 409: problem("The task is not open, or its job's protocol is not complete (errors name what is missing)"), 503: problem('Retry with the same key') },
    }),
  },
  '/checklist-templates': {
    get: op('The current version of every checklist template (staff)', { responses: { 200: { description: 'All of them in one page', ...json(s.Page(s.ChecklistTemplate)) } } }),
  },
  '/checklist-templates/{taskType}': {
    get: op('One checklist template: the current version, or ?version=N (staff)', {
      requestParams: { path: z.object({ taskType: z.string() }), query: s.TemplateVersionQuery },
      responses: { 200: { description: 'The template and its versions', ...json(s.ChecklistTemplate) } },
    }),
    put: op('Edit a checklist template (admin): the items become the next version; open tasks keep theirs', {
      requestParams: { path: z.object({ taskType: z.string() }) },
      requestBody: json(s.ChecklistTemplateBody),
      responses: {
        201: { description: 'The new version', ...json(s.ChecklistTemplate) },
        200: { description: 'Nothing changed (same as the current version); the current version', ...json(s.ChecklistTemplate) },
        409: problem('Another edit came first (baseVersion is not the current version)'),
      },
    }),
  },
  '/events/{source}': {
    post: op('Webhook from an outside system (Standard Webhooks)', {
      security: [],
      requestParams: {
        path: z.object({ source: z.enum(['manufacturer', 'design']) }),
        header: z.object({
          'webhook-id': z.string().meta({ description: 'The delivery id; a delivery seen before answers 202 and changes nothing' }),
          'webhook-timestamp': z.string().meta({ description: 'Unix seconds; older than 5 minutes is refused' }),
          'webhook-signature': z.string().meta({ description: 'v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>"> with the source\'s secret' }),
        }),
      },
      requestBody: json(z.union([s.ManufacturerEvent, s.DesignEvent])),
      responses: { 202: { description: 'Accepted' }, 409: problem('The project is closed'), 429: problem('Too many deliveries') },
    }),
  },
  '/auth/me': { get: op('The signed-in user', { responses: { 200: { description: 'The user', ...json(s.Me) } } }) },
  '/task-types': { get: op('Task types with their payload JSON Schemas', { responses: { 200: { description: 'All of them' } } }) },
  '/people': { get: op('Display names of the office and the installers (staff; an installer gets the office and themselves)', { responses: { 200: { description: '{items: [{id, name, role}]}' } } }) },
  '/settings': { get: op('Settings clients need (Temporal namespace and UI link, the company time zone)', { responses: { 200: { description: 'Settings' } } }) },
  '/stream/tickets': {
    post: op('A ticket for one stream connection, valid for a minute', { responses: { 201: { description: 'The ticket', ...json(s.StreamTicket) }, 429: problem('Too many') } }),
  },
  '/stream': {
    get: op('Server-Sent Events: a notice per change to a project you may see; closes when the ticket expires', {
      security: [],
      requestParams: { query: z.object({ ticket: z.string(), projectId: z.string().optional() }) },
      responses: { 200: { description: 'text/event-stream' }, 429: problem('Too many') },
    }),
  },
  '/jobs': {
    get: op('List site jobs (staff: all; an installer: theirs and the open offers), newest first or by another column, with the total of the filters', {
      requestParams: { query: jl.JobQuery },
      responses: { 200: { description: 'A page', ...json(jl.JobPage) } },
    }),
  },
  '/jobs/{id}': { get: op('One site job', { requestParams: { path: idParam }, responses: { 200: { description: 'The job', ...json(s.JobView) } } }) },
  '/jobs/{id}/claim': {
    post: op('An installer takes an offered job', {
      requestParams: { path: idParam },
      responses: { 200: { description: 'The job, now yours', ...json(s.JobView) }, 409: problem('Someone else has it, or it is finished') },
    }),
  },
  '/jobs/{id}/assign': {
    post: op('Staff give a job to an installer', {
      requestParams: { path: idParam },
      requestBody: json(s.AssignJobBody),
      responses: { 200: { description: 'The job', ...json(s.JobView) }, 409: problem('The job is finished') },
    }),
  },
  '/jobs/{id}/schedule': {
    post: op('Staff book a job from the dispatch board: installer and appointment window in one step (accepts it when it waits to be accepted)', {
      requestParams: { path: idParam, header: idempotency },
      requestBody: json(s.ScheduleJobBody),
      responses: { 200: { description: 'The job as booked', ...json(s.JobView) }, 409: problem('The job has moved on: cancelled, finished, not confirmed yet, or its site work has started') },
    }),
  },
  '/dispatch': {
    get: op('The dispatch board (staff): a lane per installer with the jobs booked in the range, and the queue of jobs to book, in one request', {
      requestParams: { query: s.DispatchQuery },
      responses: { 200: { description: 'Lanes and queue', ...json(s.DispatchBoard) } },
    }),
  },
  '/articles': {
    get: op('The article catalogue (active articles unless includeInactive=true)', {
      requestParams: { query: s.ArticleQuery },
      responses: { 200: { description: 'All of them in one page', ...json(s.Page(s.Article)) } },
    }),
    post: op('Add an article (admin)', { requestBody: json(s.ArticleBody), responses: { 201: { description: 'Created', ...json(s.Article) }, 409: problem('The number is taken') } }),
  },
  '/articles/{id}': {
    patch: op('Change an article (admin); recorded lines keep their price', {
      requestParams: { path: idParam },
      requestBody: json(s.ArticlePatch),
      responses: { 200: { description: 'The article', ...json(s.Article) }, 409: problem('The number is taken') },
    }),
  },
  '/jobs/{id}/trips': {
    get: op("The job's trips", { requestParams: { path: idParam }, responses: { 200: { description: 'Trips, and when the first started', ...json(s.TripList) } } }),
    post: op('Plan a trip; the distance is pre-filled from the depot and the site', {
      requestParams: { path: idParam, header: idempotency },
      requestBody: json(s.TripBody),
      responses: { 201: { description: 'The trip', ...json(s.Trip) }, 409: problem('The job is finished') },
    }),
  },
  '/jobs/{id}/trips/{tripId}': {
    patch: op("Change a trip's distance or planned start", {
      requestParams: { path: tripParam, header: idempotency },
      requestBody: json(s.TripPatch),
      responses: { 200: { description: 'The trip', ...json(s.Trip) }, 409: problem('The job is finished') },
    }),
  },
  ...Object.fromEntries(
    (['start', 'arrive', 'finish'] as const).map((step) => [
      `/jobs/{id}/trips/{tripId}/${step}`,
      {
        post: op({ start: 'On my way', arrive: 'Arrived on site', finish: 'Trip finished' }[step], {
          requestParams: { path: tripParam, header: idempotency },
          responses: { 200: { description: 'The trip, with the time of the step', ...json(s.Trip) }, 409: problem('Not in this order, or done already') },
        }),
      },
    ]),
  ),
  '/jobs/{id}/protocol': {
    get: op("The job's protocol and what it still needs", { requestParams: { path: idParam }, responses: { 200: { description: 'The protocol', ...json(s.Protocol) } } }),
    patch: op('Set the fault and the solution', {
      requestParams: { path: idParam, header: idempotency },
      requestBody: json(s.ProtocolTextBody),
      responses: { 200: { description: 'The protocol', ...json(s.Protocol) }, 409: problem('The job is finished') },
    }),
  },
  '/jobs/{id}/protocol/materials': {
    post: op('Add a material line from the catalogue, at its current price', {
      requestParams: { path: idParam, header: idempotency },
      requestBody: json(s.MaterialBody),
      responses: { 201: { description: 'The protocol', ...json(s.Protocol) }, 409: problem('The job is finished') },
    }),
  },
  '/jobs/{id}/protocol/materials/{lineId}': {
    delete: op('Remove a material line', { requestParams: { path: lineParam, header: idempotency }, responses: { 200: { description: 'The protocol', ...json(s.Protocol) }, 409: problem('The job is finished') } }),
  },
  '/jobs/{id}/protocol/work': {
    post: op('Add a work line', {
      requestParams: { path: idParam, header: idempotency },
      requestBody: json(s.WorkBody),
      responses: { 201: { description: 'The protocol', ...json(s.Protocol) }, 409: problem('The job is finished') },
    }),
  },
  '/jobs/{id}/protocol/work/{lineId}': {
    delete: op('Remove a work line', { requestParams: { path: lineParam, header: idempotency }, responses: { 200: { description: 'The protocol', ...json(s.Protocol) }, 409: problem('The job is finished') } }),
  },
  '/jobs/{id}/protocol/attachments': {
    post: op('Attach an image uploaded to the project (before, after, photo, handover signature)', {
      requestParams: { path: idParam, header: idempotency },
      requestBody: json(s.AttachmentBody),
      responses: { 201: { description: 'The protocol', ...json(s.Protocol) }, 409: problem('The job is finished') },
    }),
  },
  '/jobs/{id}/protocol/attachments/{documentId}': {
    delete: op('Detach a document', {
      requestParams: { path: z.object({ id: z.string(), documentId: z.string() }), header: idempotency },
      responses: { 200: { description: 'The protocol', ...json(s.Protocol) }, 409: problem('The job is finished') },
    }),
  },
  '/jobs/{id}/confirmations': {
    post: op('Raise a confirmation (more material, more workers, an unforeseen service): the next work-order version', {
      requestParams: { path: idParam, header: idempotency },
      requestBody: json(s.ConfirmationBody),
      responses: { 201: { description: 'The confirmation and its work order', ...json(s.ConfirmationAnswer) }, 409: problem('The job is not confirmed yet, or finished') },
    }),
  },
  '/jobs/{id}/work-orders': {
    get: op('Every version of the work order, with who caused it and when', {
      requestParams: { path: idParam },
      responses: { 200: { description: 'Oldest first', ...json(s.Page(s.WorkOrder)) } },
    }),
  },
  '/jobs/{id}/work-order.pdf': {
    get: op('A version of the work order as PDF (the latest when no version is given)', {
      requestParams: { path: idParam, query: s.WorkOrderQuery },
      responses: { 200: { description: 'application/pdf' } },
    }),
  },
  '/jobs/{id}/close': {
    post: op('Close a job as not carried out, with the reason; its project reviews it', {
      requestParams: { path: idParam, header: idempotency },
      requestBody: json(s.CloseJobBody),
      responses: { 200: { description: 'The job', ...json(s.ClosedJobView) }, 409: problem('The job is finished') },
    }),
  },
  '/sites/{id}/assets': {
    get: op("The site's asset register: each position with its current unit and its history of serials", {
      requestParams: { path: idParam },
      responses: { 200: { description: 'All positions in one page', ...json(s.Page(s.AssetView)) } },
    }),
  },
  '/jobs/{id}/card': {
    get: op("The installer's job card: address with a maps link, the customer's contact, the problem, the office's notes, the site's equipment and last visits, the appointment and what to do next", {
      requestParams: { path: idParam },
      responses: { 200: { description: 'The card', ...json(s.JobCard) } },
    }),
  },
  '/jobs/{id}/messages': {
    get: op("The job channel: the office and the job's installer, oldest first", {
      requestParams: { path: idParam },
      responses: { 200: { description: 'All of them in one page', ...json(s.Page(s.JobMessage)) } },
    }),
    post: op('Write to the job channel (staff, the assigned installer); photos are uploaded to the project first', {
      requestParams: { path: idParam, header: idempotency },
      requestBody: json(s.JobMessageBody),
      responses: { 201: { description: 'The message', ...json(s.JobMessage) } },
    }),
  },
  '/projects/{id}/messages': {
    get: op("The case's thread between the customer's contacts and the office, oldest first (staff, the case's customer; not installers)", {
      requestParams: { path: idParam, query: thread.CaseMessageQuery },
      responses: { 200: { description: 'A page', ...json(thread.CaseMessagePage) } },
    }),
    post: op("Write in the case's thread (staff, the case's customer): the other side gets a notification and a mail; attachments are documents of the case the customer may read", {
      requestParams: { path: idParam, header: idempotency },
      requestBody: json(thread.CaseMessageBody),
      responses: { 201: { description: 'The message', ...json(thread.CaseMessage) } },
    }),
  },
  '/projects/{id}/invoice-draft': {
    get: op("The project's invoice draft (staff): service from its jobs' protocols, sales from the accepted proposal", {
      requestParams: { path: idParam },
      responses: { 200: { description: 'The draft', ...json(s.InvoiceDraft) }, 409: problem('A sales project before invoice_customer') },
    }),
  },
  '/projects/{id}/invoice-draft.pdf': {
    get: op('The invoice draft as a PDF (staff)', { requestParams: { path: idParam }, responses: { 200: { description: 'application/pdf' }, 409: problem('A sales project before invoice_customer') } }),
  },
  // The office's reports over every customer: staff only.
  '/exports/articles.xlsx': {
    get: op('The article registrations (protocol material lines) of a period as an Excel workbook, one row per registration, with totals (staff)', {
      requestParams: { query: PeriodQuery },
      responses: { 200: { description: 'The workbook', content: { [XLSX_TYPE]: { schema: z.string().meta({ format: 'binary' }) } } } },
    }),
  },
  '/stats/cases': {
    get: op('Service cases created in a period, counted per site, category, customer-facing status or month (staff)', {
      requestParams: { query: reports.StatsCasesQuery },
      responses: { 200: { description: 'The counts', ...json(reports.CaseCounts) } },
    }),
  },
  '/stats/lead-times': {
    get: op('Median and 90th percentile of the time service cases spent in each stage, in seconds (staff)', {
      requestParams: { query: reports.StatsLeadTimesQuery },
      responses: { 200: { description: 'Per stage', ...json(reports.LeadTimes) } },
    }),
  },
  '/users': {
    post: op('Create a user (admin)', { requestBody: json(UserBody), responses: { 201: { description: 'Created, without secrets', ...json(s.UserView) }, 409: problem('The email is taken') } }),
    get: op('List users (admin)', { requestParams: { query: s.PageQuery }, responses: { 200: { description: 'A page', ...json(s.Page(s.UserView)) } } }),
  },
  '/users/{id}/disable': {
    post: op('Disable a user (admin): their tokens and logins stop working', { requestParams: { path: idParam }, responses: { 200: { description: 'The user', ...json(s.UserView) } } }),
  },
  // Routing: staff groups and responsibility rules (admin), and taking a group's task.
  '/groups': {
    get: op('Staff groups with their members (staff read, admins keep them)', { responses: { 200: { description: 'All of them in one page', ...json(s.Page(routing.Group)) } } }),
    post: op('Add a staff group (admin)', { requestBody: json(routing.GroupBody), responses: { 201: { description: 'Created', ...json(routing.Group) }, 409: problem('The name is taken') } }),
  },
  '/groups/{id}': {
    put: op("Rename a group and set its members (admin); the list replaces the old one", {
      requestParams: { path: idParam },
      requestBody: json(routing.GroupBody),
      responses: { 200: { description: 'The group', ...json(routing.Group) }, 409: problem('The name is taken') },
    }),
    delete: op('Delete a group (admin)', { requestParams: { path: idParam }, responses: { 204: { description: 'Deleted' }, 409: problem('A rule routes to it, or it has open tasks') } }),
  },
  '/routing-rules': {
    get: op('Responsibility rules, first match first (admin)', { responses: { 200: { description: 'All of them in one page', ...json(s.Page(routing.RoutingRule)) } } }),
    post: op('Add a responsibility rule (admin); it routes new office tasks only', { requestBody: json(routing.RoutingRuleBody), responses: { 201: { description: 'Created', ...json(routing.RoutingRule) } } }),
  },
  '/routing-rules/{id}': {
    patch: op('Change a responsibility rule (admin); tasks routed before keep their person or group', {
      requestParams: { path: idParam },
      requestBody: json(routing.RoutingRulePatch),
      responses: { 200: { description: 'The rule', ...json(routing.RoutingRule) } },
    }),
    delete: op('Delete a responsibility rule (admin)', { requestParams: { path: idParam }, responses: { 204: { description: 'Deleted' } } }),
  },
  '/tasks/{id}/claim': {
    post: op("Take an office task of your group (or your role's); the first claim wins, taking it again changes nothing", {
      requestParams: { path: idParam },
      responses: { 200: { description: 'The task, now yours', ...json(s.TaskView) }, 409: problem('Someone else has it, or it is not open') },
    }),
  },
  // The office's oversight: a person's own notifications, the supervisor's overview.
  '/notifications': {
    get: op('My notifications, newest first, with my unread count (sent to me or my group)', { requestParams: { query: sv.NotificationQuery }, responses: { 200: { description: 'A page', ...json(sv.NotificationPage) } } }),
  },
  '/notifications/{id}/read': {
    post: op('Mark one of my notifications read (someone else\'s: 404)', { requestParams: { path: idParam }, responses: { 200: { description: 'The notification and my unread count', ...json(z.object({ notification: sv.NotificationView, unreadCount: z.number().int() })) } } }),
  },
  '/notifications/read-all': {
    post: op('Mark all my notifications read, optionally only those up to a time', { requestBody: json(sv.ReadAllBody), responses: { 200: { description: 'How many were marked', ...json(z.object({ marked: z.number().int(), unreadCount: z.number().int() })) } } }),
  },
  '/supervisor/overview': {
    get: op('Workload per person and group, overdue and escalated work, approvals waiting (supervisor, admin)', { responses: { 200: { description: 'The overview', ...json(sv.SupervisorOverview) } } }),
  },
};

export function openApiDocument() {
  return createDocument({
    openapi: '3.1.0',
    info: { title: 'Fieldflow API', version: '0.1.0', description: 'Service and sales projects as durable workflows.' },
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths: withLinks(paths),
  });
}
