// The access policy, in one place: who may do what to which thing. Routes and the
// stream ask `can` (or `authorize`, which throws 403) with the facts of the thing, which
// the loaders below read from the read model. The policy is a pure function of the user
// and those facts, so the table in the README and the matrix test can be read against it.
//
//   staff (admin, supervisor, ops)  see and do everything (task roles still apply)
//   installer                       the jobs assigned to them and, through a field-work
//                                   view, their projects; open job offers (no installer)
//   customer                        their own customer's sites, cases and documents,
//                                   through the customer projection
//   installer, of a site             its asset register, while they have or had a job there
//   staff, of a customer or a site   its office overview (contacts, projects, documents,
//                                   service history) and its edits; a site's maintenance
//                                   plans (its customer reads them)
//   staff, of an office task          take it (claim) when it is theirs or their group's
//   admin                             users, groups and responsibility rules
//
// It fails closed: an unknown role, or a customer user without a customer, may do nothing.
import { and, eq, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { documents, jobMessages, jobs, projects, sites, staffGroupMembers, tasks, users } from '../db/schema';
import { taskType } from '../workflows/tasks/catalogue';
import type { Role } from '../workflows/tasks/definitions';
import type { User } from './auth';
import { forbidden, notFound } from './problem';

export const installerGroup = 'group:installer';
export const STAFF_ROLES: readonly Role[] = ['admin', 'supervisor', 'ops'];
export const ALL_ROLES: readonly Role[] = ['admin', 'supervisor', 'ops', 'installer', 'customer'];

export type ProjectRow = typeof projects.$inferSelect;

/** What the policy needs to know about a project. */
export interface ProjectFacts {
  id: string;
  customerId: string;
  /** Installers assigned to any of its jobs, open or done: they read their field-work view. */
  installerIds: string[];
  /** Installers with a running job on it (open or prepared, not done): only they upload. */
  openInstallerIds: string[];
  /** Its open jobs without an installer: offers to every installer. */
  offerJobIds: string[];
}

export interface JobFacts {
  id: string;
  projectId: string;
  customerId: string;
  status: string;
  installerId: string | null;
}

export interface TaskFacts {
  id: string;
  type: string;
  status: string;
  assignee: string | null;
  /** Who took it from its group (POST /tasks/:id/claim), if anyone. */
  claimedBy?: string | null;
  /** The members of the staff group it is routed to (`group:<id>`), when it is. */
  groupMemberIds?: string[];
  project: ProjectFacts;
  /** The task's job, when it belongs to one. */
  job?: JobFacts;
}

/** What the policy needs to know about a site. */
export interface SiteFacts {
  id: string;
  customerId: string;
  /** Installers assigned to a job of any project at the site, open or done. */
  installerIds: string[];
}

export interface DocumentFacts {
  project: ProjectFacts;
  /**
   * The installers the document is field work of: its uploader, the installer of its job,
   * and the installers of jobs whose tasks name it. Only they, of all installers, read it.
   */
  installerIds: string[];
  /** The office's and the field's, not the customer's: a work-order PDF, a photo sent in a job's channel. */
  internal?: boolean;
}

export type Resource =
  | { kind: 'projects' } // the collection: create, list
  | { kind: 'project'; project: ProjectFacts }
  | { kind: 'customers' }
  | { kind: 'customer'; customerId: string }
  | { kind: 'tasks' }
  | { kind: 'task'; task: TaskFacts }
  | { kind: 'jobs' } // the collection: list (filtered by `installerJobScope`)
  | { kind: 'job'; job: JobFacts }
  | { kind: 'document'; document: DocumentFacts }
  | { kind: 'site'; site: SiteFacts }
  | { kind: 'users' }
  | { kind: 'groups' } // staff groups: routing targets
  | { kind: 'routingRules' } // responsibility rules
  | { kind: 'catalogue' } // task types, settings
  | { kind: 'people' } // display names of the office and the installers
  | { kind: 'articles' } // the article catalogue
  | { kind: 'checklistTemplates' }
  | { kind: 'stream' }
  | { kind: 'supervision' } // the supervisor's overview: workload, overdue work, approvals
  | { kind: 'search' } // one box over projects, customers and sites
  | { kind: 'reports' }; // the article export and the statistics, over every customer

export type Action = 'read' | 'readOffer' | 'list' | 'create' | 'update' | 'complete' | 'claim' | 'assign' | 'upload' | 'manage' | 'cancel' | 'work' | 'message' | 'invoice' | 'overview' | 'raiseCase' | 'invite' | 'readPlans';

export const isStaff = (user: User) => STAFF_ROLES.includes(user.role);
const isInstaller = (user: User) => user.role === 'installer';
/** A customer user counts only when bound to a customer. */
const isCustomerOf = (user: User, customerId: string) => user.role === 'customer' && Boolean(user.customerId) && user.customerId === customerId;
const known = (user: User) => ALL_ROLES.includes(user.role) && (user.role !== 'customer' || Boolean(user.customerId));

/** Is the job an open offer: open, nobody assigned yet. */
export const isOffer = (job: JobFacts) => job.status === 'open' && !job.installerId;

export function can(user: User, action: Action, resource: Resource): boolean {
  if (!known(user)) return false;
  const staff = isStaff(user);
  switch (resource.kind) {
    case 'projects':
      if (action === 'create') return staff;
      // Lists are filtered by `projectScope`; an installer's projects come through their jobs.
      return action === 'list' && (staff || user.role === 'customer');
    case 'project': {
      const { project } = resource;
      const own = staff || isCustomerOf(user, project.customerId) || (isInstaller(user) && project.installerIds.includes(user.id));
      if (action === 'read') return own;
      // An offer shows an installer what the job is and where, not the rest of the project.
      if (action === 'readOffer') return isInstaller(user) && project.offerJobIds.length > 0;
      // Field work needs photos and certificates; customers cannot upload yet.
      // Only while they have an open job there: a past installer keeps no upload access.
      if (action === 'upload') return staff || (isInstaller(user) && project.openInstallerIds.includes(user.id));
      // Any stage may end in cancelled, by a supervisor (PRODUCT.md).
      if (action === 'cancel') return user.role === 'supervisor' || user.role === 'admin';
      // The invoice draft is the office's paper.
      if (action === 'invoice') return staff;
      // The case's thread is between the customer's contacts and the office; installers
      // talk to the office in their job's channel instead.
      if (action === 'message') return staff || isCustomerOf(user, project.customerId);
      return false;
    }
    case 'customers':
      return (action === 'create' || action === 'list') && staff;
    case 'customer':
      if (action === 'read') return staff || isCustomerOf(user, resource.customerId);
      // A case for the customer: their own contacts in the portal, or the office for them.
      if (action === 'raiseCase') return staff || isCustomerOf(user, resource.customerId);
      // The office's page of a customer: every project and document of theirs, and edits;
      // inviting their contacts to the portal.
      return (action === 'update' || action === 'overview' || action === 'invite') && staff;
    case 'tasks':
      return action === 'list' && (staff || isInstaller(user));
    case 'task': {
      const { task } = resource;
      const definition = taskType(task.type);
      if (action === 'read') {
        if (staff) return true;
        if (!isInstaller(user)) return false;
        return task.assignee === user.id || (task.job?.installerId === user.id && task.assignee === installerGroup) || isOfferTask(task);
      }
      if (action === 'complete') {
        if (!definition?.roles.includes(user.role)) return false;
        if (staff) return true;
        // An installer completes the field work of a job assigned to them, and accepts
        // an offer (which makes it theirs); never a job that is someone else's or nobody's.
        if (!isInstaller(user)) return false;
        if (isOfferTask(task)) return true;
        return Boolean(task.job) && task.job!.installerId === user.id && (task.assignee === user.id || task.assignee === installerGroup);
      }
      // Office work that is the user's or their group's (a staff group or their role's);
      // field work is taken through its job's offer, never here.
      if (action === 'claim') {
        if (!staff || !definition || definition.group === 'installer' || !definition.roles.includes(user.role) || !task.assignee) return false;
        return task.assignee === user.id || myAssignees(user).includes(task.assignee) || Boolean(task.groupMemberIds?.includes(user.id));
      }
      return false;
    }
    case 'jobs':
      // An installer's list holds their own jobs and the open offers; customers follow their cases.
      return action === 'list' && (staff || isInstaller(user));
    case 'job': {
      const { job } = resource;
      if (action === 'read') return staff || (isInstaller(user) && (job.installerId === user.id || isOffer(job)));
      if (action === 'claim') return isInstaller(user) && isOffer(job);
      if (action === 'assign') return staff && job.status === 'open';
      // The job channel: the office and the job's own installer (not an offer's readers).
      if (action === 'message') return staff || (isInstaller(user) && job.installerId === user.id);
      // Trips, the protocol, confirmations, work orders, closing: staff and the job's own installer.
      if (action === 'work') return staff || (isInstaller(user) && job.installerId === user.id);
      return false;
    }
    case 'document': {
      const { document } = resource;
      if (action !== 'read' || !can(user, 'read', { kind: 'project', project: document.project })) return false;
      if (user.role === 'customer' && document.internal) return false;
      // An installer reads their own field work, not every document of the project.
      return !isInstaller(user) || document.installerIds.includes(user.id);
    }
    case 'site': {
      const { site } = resource;
      // The asset register: the site's own customer, and installers who work or worked there.
      if (action === 'read') return staff || isCustomerOf(user, site.customerId) || (isInstaller(user) && site.installerIds.includes(user.id));
      // Maintenance plans: the site's customer reads them; the office makes and changes them.
      if (action === 'readPlans') return staff || isCustomerOf(user, site.customerId);
      // The site page's service history (every project there), its edits and its plans are the office's.
      return (action === 'update' || action === 'overview' || action === 'manage') && staff;
    }
    case 'users':
      return user.role === 'admin' && (action === 'manage' || action === 'list' || action === 'create');
    case 'groups':
      // The office reads the groups' names (tasks show them); admins keep them.
      if (action === 'list') return staff;
      return action === 'manage' && user.role === 'admin';
    case 'routingRules':
      return (action === 'list' || action === 'manage') && user.role === 'admin';
    case 'catalogue':
      return action === 'read';
    case 'people':
      // Names for timelines and assignees; an installer learns the office's names and their own.
      return action === 'list' && (staff || isInstaller(user));
    case 'articles':
      // Installers pick articles for their protocols; admins keep the catalogue.
      if (action === 'list') return staff || isInstaller(user);
      return (action === 'create' || action === 'update') && user.role === 'admin';
    case 'checklistTemplates':
      // Installers get their checklist's form from its task; only admins change what is asked.
      if (action === 'read') return staff;
      return action === 'update' && user.role === 'admin';
    case 'stream':
      return action === 'read';
    case 'supervision':
      return action === 'read' && (user.role === 'supervisor' || user.role === 'admin');
    case 'search':
      // It reaches every customer's names, phones and addresses: the office's only.
      return action === 'read' && staff;
    case 'reports':
      // Every customer's registrations and cases at once: the office's only.
      return action === 'read' && staff;
  }
  return false;
}

/** The accept-and-schedule task of an open offer: the one task an installer takes an offer by. */
const isOfferTask = (task: TaskFacts) => task.type === 'accept_schedule_job' && task.status === 'open' && Boolean(task.job && isOffer(task.job));

export function authorize(user: User, action: Action, resource: Resource, detail = 'this is not yours'): void {
  if (!can(user, action, resource)) throw forbidden(detail);
}

// --- loaders: the facts of one thing, from the read model ------------------------------

export async function projectFacts(db: Db, row: ProjectRow): Promise<ProjectFacts> {
  const rows = await db.select({ id: jobs.id, status: jobs.status, installerId: jobs.installerId }).from(jobs).where(eq(jobs.projectId, row.id));
  return {
    id: row.id,
    customerId: row.customerId,
    installerIds: [...new Set(rows.map((job) => job.installerId).filter((id): id is string => Boolean(id)))],
    // A prepared installation is still running: its installer uploads photos to it.
    openInstallerIds: [...new Set(rows.filter((job) => job.status !== 'done').map((job) => job.installerId).filter((id): id is string => Boolean(id)))],
    offerJobIds: rows.filter((job) => job.status === 'open' && !job.installerId).map((job) => job.id),
  };
}

/** The project if the user may read it: 404 when unknown, 403 when not theirs. */
export async function visibleProject(db: Db, user: User, projectId: string, action: Action = 'read'): Promise<ProjectRow & { facts: ProjectFacts }> {
  const [row] = await db.select().from(projects).where(eq(projects.id, projectId));
  if (!row) throw notFound(`no project ${projectId}`);
  const facts = await projectFacts(db, row);
  authorize(user, action, { kind: 'project', project: facts }, action === 'read' ? 'this project is not yours' : `you may not ${action} here`);
  return { ...row, facts };
}

export async function jobFacts(db: Db, jobId: string): Promise<JobFacts | undefined> {
  const [row] = await db
    .select({ id: jobs.id, projectId: jobs.projectId, status: jobs.status, installerId: jobs.installerId, customerId: projects.customerId })
    .from(jobs)
    .innerJoin(projects, eq(projects.id, jobs.projectId))
    .where(eq(jobs.id, jobId));
  return row;
}

export async function taskFacts(db: Db, row: typeof tasks.$inferSelect): Promise<TaskFacts> {
  const [project] = await db.select().from(projects).where(eq(projects.id, row.projectId));
  const facts = project ? await projectFacts(db, project) : { id: row.projectId, customerId: '', installerIds: [], openInstallerIds: [], offerJobIds: [] };
  const job = row.jobId ? await jobFacts(db, row.jobId) : undefined;
  const groupMemberIds = staffGroupOf(row.assignee)
    ? (await db.select({ userId: staffGroupMembers.userId }).from(staffGroupMembers).where(eq(staffGroupMembers.groupId, staffGroupOf(row.assignee)!))).map((member) => member.userId)
    : undefined;
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    assignee: row.assignee,
    claimedBy: row.claimedBy,
    ...(groupMemberIds ? { groupMemberIds } : {}),
    project: facts,
    ...(job ? { job } : {}),
  };
}

/** The site if it exists (404 otherwise), with the installers of jobs there. */
export async function siteFacts(db: Db, siteId: string): Promise<SiteFacts | undefined> {
  const [site] = await db.select({ id: sites.id, customerId: sites.customerId }).from(sites).where(eq(sites.id, siteId));
  if (!site) return undefined;
  const rows = await db
    .selectDistinct({ installerId: jobs.installerId })
    .from(jobs)
    .innerJoin(projects, eq(projects.id, jobs.projectId))
    .where(and(eq(projects.siteId, siteId), isNotNull(jobs.installerId)));
  return { ...site, installerIds: rows.map((row) => row.installerId!).filter(Boolean) };
}

type DocumentRow = typeof documents.$inferSelect;

/** The installers whose field work a document is (see `DocumentFacts`). */
export async function documentFacts(db: Db, row: DocumentRow, project: ProjectFacts): Promise<DocumentFacts> {
  const uploader = await db.select({ id: users.id }).from(users).where(and(eq(users.id, row.uploadedBy), eq(users.role, 'installer')));
  const ofJob = row.jobId ? await db.select({ installerId: jobs.installerId }).from(jobs).where(and(eq(jobs.id, row.jobId), eq(jobs.projectId, row.projectId))) : [];
  const naming = await db
    .selectDistinct({ installerId: jobs.installerId })
    .from(tasks)
    .innerJoin(jobs, eq(jobs.id, tasks.jobId))
    .where(and(eq(tasks.projectId, row.projectId), sql`(${tasks.payload} -> 'documentIds') ? ${row.id}`));
  // The installers of the jobs whose channel carried it: a photo the office sent them.
  const inChannels = await db
    .selectDistinct({ installerId: jobs.installerId })
    .from(jobMessages)
    .innerJoin(jobs, eq(jobs.id, jobMessages.jobId))
    .where(and(eq(jobMessages.projectId, row.projectId), sql`${jobMessages.documentIds} ? ${row.id}`));
  const ids = [...uploader.map((user) => user.id), ...ofJob.map((job) => job.installerId), ...naming.map((job) => job.installerId), ...inChannels.map((job) => job.installerId)];
  // A photo sent in a job's channel is the office's and the field's; a PDF someone attached
  // there (the customer's own quote, say) stays the customer's too.
  const channelPhoto = inChannels.length > 0 && row.contentType.startsWith('image/');
  return { project, installerIds: [...new Set(ids.filter((id): id is string => Boolean(id)))], internal: isWorkOrderDocument(row.id) || channelPhoto };
}

/** Work-order PDFs are stored as documents under ids the work-order activity makes. */
export const isWorkOrderDocument = (id: string) => id.startsWith('doc_wo_');

/** The SQL condition for the documents a customer may list: not the office's and the field's own. */
export function customerDocumentScope() {
  return and(
    sql`left(${documents.id}, 7) <> 'doc_wo_'`,
    or(
      sql`${documents.contentType} NOT LIKE 'image/%'`,
      sql`NOT EXISTS (SELECT 1 FROM ${jobMessages} WHERE ${jobMessages.projectId} = ${documents.projectId} AND ${jobMessages.documentIds} ? ${documents.id})`,
    ),
  );
}

/**
 * The SQL condition for the documents an installer may list among a project's: those they
 * uploaded, those of a job assigned to them, and those named by the tasks of their jobs.
 */
export function installerDocumentScope(db: Db, user: User) {
  const mine = db.select({ id: jobs.id }).from(jobs).where(eq(jobs.installerId, user.id));
  const named = db
    .select({ id: sql<string>`jsonb_array_elements_text(${tasks.payload} -> 'documentIds')` })
    .from(tasks)
    .where(and(inArray(tasks.jobId, mine), sql`jsonb_typeof(${tasks.payload} -> 'documentIds') = 'array'`));
  const sent = db
    .select({ id: sql<string>`jsonb_array_elements_text(${jobMessages.documentIds})` })
    .from(jobMessages)
    .where(inArray(jobMessages.jobId, mine));
  return or(eq(documents.uploadedBy, user.id), inArray(documents.jobId, mine), inArray(documents.id, named), inArray(documents.id, sent));
}

/**
 * The SQL conditions for the tasks an installer may list: those assigned to them, the
 * field tasks of their jobs (group tasks from before the job was theirs), and the
 * accept tasks of open offers. The office's tasks in their jobs are not field work.
 */
export function installerTaskScope(db: Db, user: User) {
  const mine = db.select({ id: jobs.id }).from(jobs).where(eq(jobs.installerId, user.id));
  const offers = db.select({ id: jobs.id }).from(jobs).where(and(eq(jobs.status, 'open'), isNull(jobs.installerId)));
  return { mine, offers, inMine: and(inArray(tasks.jobId, mine), eq(tasks.assignee, installerGroup)), inOffers: and(eq(tasks.type, 'accept_schedule_job'), eq(tasks.status, 'open'), inArray(tasks.jobId, offers)) };
}

/** The staff group id in an assignee `group:<id>`; undefined for a person or a role's group. */
export function staffGroupOf(assignee: string | null | undefined): string | undefined {
  if (!assignee?.startsWith('group:')) return undefined;
  const id = assignee.slice('group:'.length);
  return ALL_ROLES.includes(id as Role) ? undefined : id;
}

/** The assignees that count as "me" for staff, with the staff groups they are a member of. */
export async function myAssigneesWithGroups(db: Db, user: User): Promise<string[]> {
  if (!isStaff(user)) return myAssignees(user);
  const rows = await db.select({ groupId: staffGroupMembers.groupId }).from(staffGroupMembers).where(eq(staffGroupMembers.userId, user.id));
  return [...myAssignees(user), ...rows.map((row) => `group:${row.groupId}`)];
}

/**
 * The SQL condition for "my tasks": assigned to me or one of my groups and not taken by
 * someone else, or taken by me.
 */
export function myTasksCondition(user: User, assignees: string[]) {
  return or(and(inArray(tasks.assignee, assignees), or(isNull(tasks.claimedBy), eq(tasks.claimedBy, user.id))), eq(tasks.claimedBy, user.id))!;
}

/** The SQL condition for the jobs an installer may list: theirs, and the open offers (what `can` reads one by one). */
export function installerJobScope(user: User) {
  return or(eq(jobs.installerId, user.id), and(eq(jobs.status, 'open'), isNull(jobs.installerId)));
}

/** The assignees that count as "me" for staff: the user and the groups of their role. */
export function myAssignees(user: User): string[] {
  const groups: Record<string, string[]> = {
    admin: ['group:ops', 'group:supervisor', 'group:installer'],
    supervisor: ['group:ops', 'group:supervisor'],
    ops: ['group:ops'],
  };
  return [user.id, ...(groups[user.role] ?? [])];
}
