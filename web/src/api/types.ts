// The shapes of the HTTP contract (API.md), as the console reads them.
export type Role = 'admin' | 'supervisor' | 'ops' | 'installer' | 'customer';
export const STAFF_ROLES: readonly Role[] = ['ops', 'supervisor', 'admin'];

export interface User {
  id: string;
  role: Role;
  name: string;
  customerId?: string;
}

export interface Session {
  token: string;
  user: User;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  /** Lists that count: how many items match the filters, over all pages... */
  total?: number;
  /** ...or at least that many, when counting stopped (at 1000). */
  totalCapped?: boolean;
}

export interface FieldError {
  path: string;
  message: string;
}

export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
}

export type TaskStatus = 'open' | 'done' | 'cancelled';

export interface Task {
  id: string;
  projectId: string;
  jobId?: string;
  type: string;
  title: string;
  stage: string;
  status: TaskStatus;
  assignee?: string;
  /** The member of the task's group who took it (POST /tasks/:id/claim). */
  claimedBy?: string;
  claimedAt?: string;
  dueAt?: string;
  createdAt: string;
  completedAt?: string;
  completedBy?: string;
  payload?: Record<string, unknown>;
  /** GET /tasks/:id only: the JSON Schema its payload must fit. */
  schema?: JsonSchema;
  /** GET /tasks/:id only, for a checklist: the template version it was opened with. */
  templateVersion?: number;
  /** GET /tasks: what a list shows beside the task, so a page is one request. */
  projectTitle?: string;
  /** GET /tasks, staff only. */
  customerName?: string;
  siteAddress?: string;
  job?: { type: string; sequence: number; status: Job['status']; scheduledStart?: string; scheduledEnd?: string; installerId?: string };
}

export interface Job {
  id: string;
  type: string;
  sequence: number;
  status: 'open' | 'prepared' | 'done';
  outcome?: string;
  scheduledStart?: string;
  /** End of the appointment window, when the office booked one. */
  scheduledEnd?: string;
  installerId?: string;
  workflowId: string;
}

export type CustomerStatus = 'planned' | 'in_progress' | 'completed' | 'cancelled' | 'problem';

export interface Project {
  id: string;
  kind: 'sales' | 'service';
  title?: string;
  stage: string;
  status: CustomerStatus;
  /** The customer-facing status from the read model (jobs and trips included). */
  customerStatus?: CustomerStatus;
  outcome?: string;
  customerId: string;
  siteId: string;
  /** In an installer's offer view and the staff's list: where the project is. */
  siteAddress?: string;
  /** In the staff's list (GET /projects): the customer's name. */
  customerName?: string;
  workflowId: string;
  createdAt: string;
  updatedAt: string;
  openTasks: Task[];
  jobs: Job[];
}

export interface CompleteAnswer {
  task: Task;
  project: Project;
}

export interface TimelineEntry {
  id: string;
  projectId: string;
  jobId?: string;
  at: string;
  kind: 'stage' | 'task' | 'event' | 'job' | 'project' | string;
  actor: { id: string; role: string };
  summary: string;
  data?: Record<string, unknown>;
}

export interface DocumentInfo {
  id: string;
  name: string;
  size: number;
  sha256: string;
  contentType: string;
  projectId: string;
  uploadedBy?: string;
  createdAt: string;
}

export interface Customer {
  id: string;
  name: string;
  email?: string;
  phone?: string;
  createdAt: string;
}

export interface Site {
  id: string;
  customerId: string;
  address: string;
  phases?: 1 | 2 | 3;
  nmi?: string;
  latitude?: number;
  longitude?: number;
  createdAt: string;
}

/** A JSON Schema as zod writes it for the task payloads (only what forms use). */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  minimum?: number;
  maximum?: number;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  /** A checklist's `answers`: one property per item. */
  'x-checklist'?: boolean;
  'x-templateVersion'?: number;
  /** A checklist item's control. */
  'x-itemType'?: ChecklistItemType;
  'x-unit'?: string;
  /** What a photo or signature answer names: an image, or a PNG. */
  'x-document'?: string;
}

export type ChecklistItemType = 'pass_fail_na' | 'number' | 'text' | 'choice' | 'photo' | 'signature';

export interface ChecklistItem {
  id: string;
  label: string;
  type: ChecklistItemType;
  required: boolean;
  help?: string;
  unit?: string;
  min?: number;
  max?: number;
  options?: string[];
}

export interface ChecklistTemplate {
  taskType: string;
  version: number;
  title: string;
  items: ChecklistItem[];
  createdBy: string;
  createdAt: string;
  versions?: { version: number; createdBy: string; createdAt: string }[];
}

export interface TaskTypeInfo {
  type: string;
  title: string;
  group: string;
  roles: Role[];
  schema: JsonSchema;
}

export interface Settings {
  temporalNamespace: string;
  temporalUiUrl?: string;
  /** The company's IANA time zone: the console writes dates and times in it. */
  companyTimeZone?: string;
}

/** GET /people: a display name. */
export interface Person {
  id: string;
  name: string;
  role: Role;
}

/** What GET /stream says after every read-model change. */
export interface ChangeNotice {
  projectId: string;
  jobId?: string;
  stage?: string;
  taskIds?: string[];
  messageId?: string;
  /** A new message in the case's thread (customer and office). */
  caseMessageId?: string;
  /** The change brought notifications: the unread count refreshes. */
  notified?: true;
}

/** One position of a site's asset register, with every serial it has had. */
export interface SiteAsset {
  id: string;
  siteId: string;
  make: string;
  model: string;
  serial?: string;
  installedAt?: string;
  replacedAt?: string;
  history: { serial?: string; replaced?: string; make: string; model: string; at: string; taskId?: string; taskType?: string; projectId?: string; jobId?: string }[];
}
