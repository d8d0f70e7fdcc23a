// The read model. Truth lives in the workflows; these tables are what lists, search and
// the project view read. Every row a workflow writes has an id the workflow made, so a
// retried write is an upsert that changes nothing.
import { sql, type SQL } from 'drizzle-orm';
import { bigint, bigserial, boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, doublePrecision } from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
/** The writer's revision: an upsert never replaces a row with one of an older revision. */
const revision = () => bigint('revision', { mode: 'number' }).notNull().default(0);

/**
 * Search (api/routes/search.ts) finds rows by the words of their text: `search_words_of`
 * (a SQL function of migration 0018) lower-cases the text and splits it into runs of
 * letters and runs of digits. A GIN index over those words finds the rows that have a
 * word; `fastupdate` is off so that a new row is in the index itself at once, not in a
 * pending list that only VACUUM empties (PGlite never vacuums on its own).
 */
const wordsIndex = (name: string, words: SQL) => index(name).using('gin', words).with({ fastupdate: false });

export const users = pgTable('users', {
  id: text('id').primaryKey(),
  email: text('email').notNull(),
  name: text('name').notNull(),
  role: text('role').notNull(),
  passwordHash: text('password_hash').notNull(),
  customerId: text('customer_id').references(() => customers.id),
  disabledAt: timestamp('disabled_at', { withTimezone: true, mode: 'date' }),
  createdAt: createdAt(),
}, (t) => [
  uniqueIndex('users_email_idx').on(sql`lower(${t.email})`),
  // The roles of PRODUCT.md, and a customer user always bound to a customer (only they).
  check('users_role_check', sql`${t.role} IN ('admin', 'supervisor', 'ops', 'installer', 'customer')`),
  check('users_customer_check', sql`(${t.role} = 'customer') = (${t.customerId} IS NOT NULL)`),
]);

export const customers = pgTable('customers', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  email: text('email'),
  phone: text('phone'),
  createdAt: createdAt(),
  /** The last staff edit: who and when (the console shows it on the customer page). */
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }),
  updatedBy: text('updated_by'),
}, (t) => [
  // Search (api/routes/search.ts): the words of the name and email, and a trigram index
  // that finds a phone number whatever its spaces, dashes or brackets.
  wordsIndex('customers_words_idx', sql`search_words_of(${t.name}, ${t.email})`),
  index('customers_phone_digits_trgm_idx').using('gin', sql`(regexp_replace(${t.phone}, '[^0-9]', '', 'g')) gin_trgm_ops`).with({ fastupdate: false }),
]);

export const sites = pgTable('sites', {
  id: text('id').primaryKey(),
  customerId: text('customer_id').notNull().references(() => customers.id),
  address: text('address').notNull(),
  phases: integer('phases'),
  nmi: text('nmi'),
  latitude: doublePrecision('latitude'),
  longitude: doublePrecision('longitude'),
  createdAt: createdAt(),
  /** The last staff edit: who and when. */
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }),
  updatedBy: text('updated_by'),
}, (t) => [index('sites_customer_idx').on(t.customerId), wordsIndex('sites_words_idx', sql`search_words_of(${t.address})`)]);

/**
 * What a case was raised with, however it started (office, portal, QR form, a maintenance
 * plan): written once, before its workflow starts, so it is there whatever crashes next.
 * The project's row comes later, from the workflow; a row without one is a start that
 * never happened and counts nowhere.
 */
export const cases = pgTable('cases', {
  projectId: text('project_id').primaryKey(),
  /** `issue`, `request`, `deviation` or `maintenance` (a plan's run). */
  kind: text('kind').notNull(),
  category: text('category').notNull(),
  description: text('description').notNull(),
  /** `office`, `portal`, `qr` or `plan`. */
  source: text('source').notNull(),
  contactName: text('contact_name'),
  contactPhone: text('contact_phone'),
  contactEmail: text('contact_email'),
  planId: text('plan_id'),
  createdAt: createdAt(),
}, (t) => [index('cases_category_idx').on(t.category), index('cases_plan_idx').on(t.planId)]);

/**
 * A site's QR token (api/qr): the printed code carries this row's id and its site, signed;
 * the row says whether it still counts. One unrevoked token per site at a time, so every
 * print of the site's code stays valid until the office revokes it (or it expires).
 */
export const siteQrTokens = pgTable('site_qr_tokens', {
  id: text('id').primaryKey(),
  siteId: text('site_id').notNull().references(() => sites.id),
  createdAt: createdAt(),
  createdBy: text('created_by'),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  revokedBy: text('revoked_by'),
}, (t) => [
  // At most one current token per site: two first scans at once make one, not two.
  uniqueIndex('site_qr_tokens_current_idx').on(t.siteId).where(sql`${t.revokedAt} IS NULL`),
]);

export const assets = pgTable('assets', {
  id: text('id').primaryKey(),
  siteId: text('site_id').notNull().references(() => sites.id),
  make: text('make').notNull(),
  model: text('model').notNull(),
  serial: text('serial'),
  installedAt: timestamp('installed_at', { withTimezone: true, mode: 'date' }),
  replacedAt: timestamp('replaced_at', { withTimezone: true, mode: 'date' }),
  updatedByTaskId: text('updated_by_task_id'),
  revision: revision(),
  createdAt: createdAt(),
}, (t) => [index('assets_site_idx').on(t.siteId)]);

/**
 * The lineage of each asset position: one row per serial it has had, written with the
 * asset by the read model. `previousSerial` is the serial it replaced (none for the first).
 * The id is the asset's and the task's, so a retried write adds nothing.
 */
export const assetHistory = pgTable('asset_history', {
  id: text('id').primaryKey(),
  assetId: text('asset_id').notNull(),
  siteId: text('site_id').notNull().references(() => sites.id),
  make: text('make').notNull(),
  model: text('model').notNull(),
  serial: text('serial'),
  previousSerial: text('previous_serial'),
  taskId: text('task_id'),
  at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
  revision: revision(),
}, (t) => [index('asset_history_site_idx').on(t.siteId, t.assetId, t.at)]);

export const projects = pgTable('projects', {
  id: text('id').primaryKey(),
  kind: text('kind').notNull(),
  title: text('title'),
  stage: text('stage').notNull(),
  status: text('status').notNull(),
  outcome: text('outcome'),
  customerId: text('customer_id').notNull().references(() => customers.id),
  siteId: text('site_id').notNull().references(() => sites.id),
  workflowId: text('workflow_id').notNull(),
  createdBy: text('created_by'),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  closedAt: timestamp('closed_at', { withTimezone: true, mode: 'date' }),
  revision: revision(),
}, (t) => [
  // Lists are newest first by creation (api/routes/projects.ts): each filter's index ends in
  // (created_at, id), so a page is read in order without sorting the matches.
  index('projects_stage_idx').on(t.stage, t.createdAt, t.id),
  index('projects_kind_stage_idx').on(t.kind, t.stage, t.createdAt, t.id),
  index('projects_customer_idx').on(t.customerId, t.createdAt, t.id),
  // The customer-facing status filter narrows by outcome first (see api/customer-status.ts).
  index('projects_outcome_idx').on(t.outcome, t.createdAt, t.id),
  index('projects_created_idx').on(t.createdAt, t.id),
  index('projects_site_created_idx').on(t.siteId, t.createdAt, t.id),
  wordsIndex('projects_words_idx', sql`search_words_of(${t.title})`),
]);

export const jobs = pgTable('jobs', {
  id: text('id').primaryKey(),
  projectId: text('project_id').notNull().references(() => projects.id),
  workflowId: text('workflow_id').notNull(),
  type: text('type').notNull(),
  sequence: integer('sequence').notNull(),
  status: text('status').notNull(),
  outcome: text('outcome'),
  scheduledStart: timestamp('scheduled_start', { withTimezone: true, mode: 'date' }),
  /** The end of the appointment window booked on the dispatch board. */
  scheduledEnd: timestamp('scheduled_end', { withTimezone: true, mode: 'date' }),
  installerId: text('installer_id'),
  createdAt: createdAt(),
  completedAt: timestamp('completed_at', { withTimezone: true, mode: 'date' }),
  /** When the job's first trip started ("on my way"): the case is in progress for the customer. */
  tripStartedAt: timestamp('trip_started_at', { withTimezone: true, mode: 'date' }),
  /** Copies of the workflow's trips and protocol, for lists and the console. */
  trips: jsonb('trips'),
  protocol: jsonb('protocol'),
  revision: revision(),
}, (t) => [
  index('jobs_project_idx').on(t.projectId, t.sequence),
  // The dispatch board: each installer's lane over a range of days.
  index('jobs_installer_start_idx').on(t.installerId, t.scheduledStart),
  // The jobs list, newest first (its default), and the queue of jobs to book.
  index('jobs_created_idx').on(t.createdAt, t.id),
]);

export const tasks = pgTable('tasks', {
  id: text('id').primaryKey(),
  projectId: text('project_id').notNull().references(() => projects.id),
  jobId: text('job_id'),
  workflowId: text('workflow_id').notNull(),
  type: text('type').notNull(),
  stage: text('stage').notNull(),
  status: text('status').notNull(),
  assignee: text('assignee'),
  dueAt: timestamp('due_at', { withTimezone: true, mode: 'date' }),
  payload: jsonb('payload'),
  completedBy: text('completed_by'),
  completedAt: timestamp('completed_at', { withTimezone: true, mode: 'date' }),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  /** The update id of the completion: a keyed retry after the workflow closed finds its answer here. */
  completionKey: text('completion_key'),
  overdueAt: timestamp('overdue_at', { withTimezone: true, mode: 'date' }),
  escalatedAt: timestamp('escalated_at', { withTimezone: true, mode: 'date' }),
  /**
   * The checklist template version current when the row was first written; never changed
   * after. Null for other task types, and for checklists opened before templates existed.
   */
  templateVersion: integer('template_version'),
  /**
   * The responsibility rule that routed the task when its row was first written (see
   * activities/read-model.ts): its `assignee` is then the rule's person or group and later
   * writes of the task leave it alone. Null when no rule matched (or for field work).
   */
  routingRuleId: text('routing_rule_id'),
  /** The member of the task's group who took it (POST /tasks/:id/claim): first come, first served. */
  claimedBy: text('claimed_by'),
  claimedAt: timestamp('claimed_at', { withTimezone: true, mode: 'date' }),
  revision: revision(),
}, (t) => [
  index('tasks_project_idx').on(t.projectId, t.createdAt),
  index('tasks_assignee_status_idx').on(t.assignee, t.status, t.createdAt),
  index('tasks_status_idx').on(t.status, t.createdAt),
  // A job's open tasks (the dispatch board, an installer's notifications).
  index('tasks_job_idx').on(t.jobId, t.status),
]);

export const documents = pgTable('documents', {
  id: text('id').primaryKey(),
  projectId: text('project_id').notNull().references(() => projects.id),
  name: text('name').notNull(),
  size: integer('size').notNull(),
  sha256: text('sha256').notNull(),
  contentType: text('content_type').notNull(),
  storageKey: text('storage_key').notNull(),
  uploadedBy: text('uploaded_by').notNull(),
  /** The job the document belongs to, when it is field work: an installer's uploads go to their open job. */
  jobId: text('job_id'),
  createdAt: createdAt(),
}, (t) => [index('documents_project_idx').on(t.projectId, t.createdAt), index('documents_storage_key_idx').on(t.storageKey)]);

export const timeline = pgTable('timeline', {
  id: text('id').primaryKey(),
  // Insertion order breaks ties between entries written in the same millisecond.
  seq: bigserial('seq', { mode: 'number' }).notNull(),
  projectId: text('project_id').notNull().references(() => projects.id),
  jobId: text('job_id'),
  at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
  kind: text('kind').notNull(),
  actorId: text('actor_id'),
  actorRole: text('actor_role'),
  summary: text('summary').notNull(),
  data: jsonb('data'),
}, (t) => [index('timeline_project_idx').on(t.projectId, t.at, t.seq)]);

/** Something a person or a group should hear about: an overdue task, an escalation. */
export const notifications = pgTable('notifications', {
  id: text('id').primaryKey(),
  projectId: text('project_id').notNull().references(() => projects.id),
  taskId: text('task_id'),
  /** A user id or `group:<role>`. */
  recipient: text('recipient').notNull(),
  kind: text('kind').notNull(),
  summary: text('summary').notNull(),
  at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
  readAt: timestamp('read_at', { withTimezone: true, mode: 'date' }),
}, (t) => [index('notifications_recipient_idx').on(t.recipient, t.at)]);

/**
 * Who has read which notification. A group notification reaches every member of the
 * group, and each of them reads it for themselves, so "read" is per user, not per row.
 */
export const notificationReads = pgTable('notification_reads', {
  notificationId: text('notification_id').notNull().references(() => notifications.id),
  userId: text('user_id').notNull().references(() => users.id),
  readAt: timestamp('read_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.notificationId, t.userId] })]);

/** One row per keyed create: the key (per user and route), the body's hash, what it made. */
export const idempotencyKeys = pgTable('idempotency_keys', {
  scope: text('scope').notNull(),
  key: text('key').notNull(),
  bodySha256: text('body_sha256').notNull(),
  resourceId: text('resource_id').notNull(),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.scope, t.key] })]);

/** Webhook deliveries already accepted, per source, so a replay changes nothing. */
export const webhookDeliveries = pgTable('webhook_deliveries', {
  source: text('source').notNull(),
  deliveryId: text('delivery_id').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.source, t.deliveryId] }), index('webhook_deliveries_received_idx').on(t.receivedAt)]);

/**
 * One active sales project per site: a create reserves the site first (two at the same
 * instant: one wins), and the read model releases it when the project closes.
 */
export const siteReservations = pgTable('site_reservations', {
  siteId: text('site_id').notNull(),
  kind: text('kind').notNull(),
  projectId: text('project_id').notNull(),
  reservedAt: timestamp('reserved_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.siteId, t.kind] })]);

/**
 * The job channel (seed 003): the office and the job's installer talk about one job. Not
 * workflow state: the message is the truth, written once per idempotent request.
 */
export const jobMessages = pgTable('job_messages', {
  id: text('id').primaryKey(),
  jobId: text('job_id').notNull().references(() => jobs.id),
  projectId: text('project_id').notNull().references(() => projects.id),
  authorId: text('author_id').notNull(),
  authorName: text('author_name'),
  authorRole: text('author_role').notNull(),
  body: text('body').notNull(),
  documentIds: jsonb('document_ids').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  createdAt: createdAt(),
}, (t) => [index('job_messages_job_idx').on(t.jobId, t.createdAt), index('job_messages_project_idx').on(t.projectId)]);

/** The article catalogue (admin-managed): what material lines on a protocol are made of. */
export const articles = pgTable('articles', {
  id: text('id').primaryKey(),
  number: text('number').notNull(),
  name: text('name').notNull(),
  unit: text('unit').notNull(),
  priceCents: integer('price_cents').notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('articles_number_idx').on(t.number), check('articles_price_check', sql`${t.priceCents} >= 0`)]);

/** Every version of a job's work-order PDF, written by the activity that made it (an upsert on job and version). */
export const workOrders = pgTable('work_orders', {
  jobId: text('job_id').notNull(),
  version: integer('version').notNull(),
  documentId: text('document_id').notNull(),
  reason: text('reason').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
}, (t) => [primaryKey({ columns: [t.jobId, t.version] })]);

/**
 * Checklist templates, one row per version: an admin's edit adds the next version and
 * never changes an old one, so a task keeps answering the version it was opened with.
 */
export const checklistTemplates = pgTable('checklist_templates', {
  taskType: text('task_type').notNull(),
  version: integer('version').notNull(),
  title: text('title').notNull(),
  items: jsonb('items').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.taskType, t.version] }), check('checklist_templates_version_check', sql`${t.version} >= 1`)]);

/**
 * Mail waiting to go out (api/mail/outbox.ts): written in the transaction of what it tells
 * about, sent by the API's delivery loop, retried until the SMTP server takes it.
 */
export const mailOutbox = pgTable('mail_outbox', {
  id: text('id').primaryKey(),
  /** One mail per key: queueing the same key again adds nothing. */
  key: text('key').notNull().unique(),
  to: text('to').notNull(),
  subject: text('subject').notNull(),
  text: text('text').notNull(),
  createdAt: createdAt(),
  attempts: integer('attempts').notNull().default(0),
  /** Also the lease of a delivery under way: a crashed sender's mail is tried again after it. */
  nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  lastError: text('last_error'),
  sentAt: timestamp('sent_at', { withTimezone: true, mode: 'date' }),
}, (t) => [index('mail_outbox_due_idx').on(t.nextAttemptAt).where(sql`sent_at IS NULL`)]);

/**
 * A maintenance plan: a site's recurring case. Each plan IS a Temporal Schedule whose id is
 * the plan's id (api/plans.ts). The row comes first, in state `pending`, and becomes
 * `active` once the schedule exists; a delete marks it `deleting` (with `deleted_at`) before
 * the schedule goes, and `deleted` after. A row a crash left `pending` or `deleting` is
 * finished by the next request that touches it or by the start-up sweep. `paused` follows
 * the schedule's state; a deleted plan keeps its row, because its cases name it.
 */
export const maintenancePlans = pgTable('maintenance_plans', {
  id: text('id').primaryKey(),
  siteId: text('site_id').notNull().references(() => sites.id),
  customerId: text('customer_id').notNull().references(() => customers.id),
  title: text('title').notNull(),
  category: text('category').notNull(),
  /** An ISO 8601 duration (`P6M`, `P14D`, `PT2S`), or null when `cron` is set. */
  every: text('every'),
  /** A cron expression in the company's time zone, or null when `every` is set. */
  cron: text('cron'),
  startAt: timestamp('start_at', { withTimezone: true, mode: 'date' }).notNull(),
  /** The zone the schedule's calendar (months, cron) is read in: COMPANY_TIME_ZONE at creation. */
  timeZone: text('time_zone').notNull(),
  /** `pending` (the schedule may not exist yet), `active`, `deleting` (the schedule may still exist) or `deleted`. */
  state: text('state').notNull().default('pending'),
  paused: boolean('paused').notNull().default(false),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }),
  deletedAt: timestamp('deleted_at', { withTimezone: true, mode: 'date' }),
}, (t) => [
  index('maintenance_plans_site_idx').on(t.siteId),
  index('maintenance_plans_unsettled_idx').on(t.state).where(sql`state IN ('pending', 'deleting')`),
  check('maintenance_plans_interval_check', sql`(${t.every} IS NULL) <> (${t.cron} IS NULL)`),
]);

/** Teams of office staff (admin-managed), e.g. "Service North": a routing rule's target. */
export const staffGroups = pgTable('staff_groups', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('staff_groups_name_idx').on(sql`lower(${t.name})`)]);

export const staffGroupMembers = pgTable('staff_group_members', {
  groupId: text('group_id').notNull().references(() => staffGroups.id, { onDelete: 'cascade' }),
  userId: text('user_id').notNull().references(() => users.id),
}, (t) => [primaryKey({ columns: [t.groupId, t.userId] }), index('staff_group_members_user_idx').on(t.userId)]);

/**
 * Responsibility rules: who gets a new office task. A null condition matches anything; the
 * first match by priority (lower first) wins. The target is one person or one group.
 */
export const routingRules = pgTable('routing_rules', {
  id: text('id').primaryKey(),
  priority: integer('priority').notNull(),
  customerId: text('customer_id').references(() => customers.id),
  siteId: text('site_id').references(() => sites.id),
  category: text('category'),
  targetUserId: text('target_user_id').references(() => users.id),
  targetGroupId: text('target_group_id').references(() => staffGroups.id),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }),
}, (t) => [
  index('routing_rules_priority_idx').on(t.priority, t.createdAt, t.id),
  check('routing_rules_target_check', sql`(${t.targetUserId} IS NULL) <> (${t.targetGroupId} IS NULL)`),
]);

/**
 * A case's thread (issue 11): the customer's contacts and the office write to each other
 * about one service case. Kept apart from the job channel, which is the office's talk with
 * the field and must never reach the customer. Written once per idempotent request.
 */
export const caseMessages = pgTable('case_messages', {
  id: text('id').primaryKey(),
  projectId: text('project_id').notNull().references(() => projects.id),
  authorId: text('author_id').notNull(),
  authorName: text('author_name'),
  authorRole: text('author_role').notNull(),
  body: text('body').notNull(),
  documentIds: jsonb('document_ids').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  createdAt: createdAt(),
}, (t) => [index('case_messages_project_idx').on(t.projectId, t.createdAt, t.id)]);

/**
 * Invitations of customer contacts to the portal (api/invitations.ts): a single-use,
 * expiring sign-in link. Only the token's SHA-256 is kept, so the table cannot sign
 * anyone in; the user it invites exists from the start, without a usable password.
 */
export const invitations = pgTable('invitations', {
  id: text('id').primaryKey(),
  tokenHash: text('token_hash').notNull().unique(),
  userId: text('user_id').notNull().references(() => users.id),
  customerId: text('customer_id').notNull().references(() => customers.id),
  email: text('email').notNull(),
  invitedBy: text('invited_by').notNull(),
  createdAt: createdAt(),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  acceptedAt: timestamp('accepted_at', { withTimezone: true, mode: 'date' }),
  /** A newer invitation of the same user replaces this one. */
  replacedAt: timestamp('replaced_at', { withTimezone: true, mode: 'date' }),
}, (t) => [index('invitations_user_idx').on(t.userId), index('invitations_customer_idx').on(t.customerId)]);

/**
 * Every distinct word of three or more letters in customers' names and emails, sites'
 * addresses and projects' titles: search matches a misspelt word against these (tens of
 * thousands) with a trigram index, then finds the rows by the words it matched. Kept by
 * triggers on those tables (migration 0019); a word nobody uses any more stays and finds
 * nothing.
 */
export const searchDictionary = pgTable('search_dictionary', {
  word: text('word').primaryKey(),
}, (t) => [index('search_dictionary_trgm_idx').using('gin', sql`${t.word} gin_trgm_ops`).with({ fastupdate: false })]);
