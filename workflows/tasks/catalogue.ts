// Every task type: its title, who may complete it and the payload it takes. The API
// parses payloads with these schemas (400 before anything is sent) and the workflows'
// update validators parse them again, so a payload that does not fit never reaches history.
import { z } from 'zod';
import type { Role } from './definitions';
import { allIssues } from './issues';
import { nmiSchema } from './nmi';

export const jobTypes = ['audit', 'replacement'] as const;
export type ServiceJobType = (typeof jobTypes)[number];
const jobType = z.enum(jobTypes).meta({ description: 'Kind of site visit to run' });
const note = z.string().max(10_000).optional().meta({ description: 'Free text for the timeline' });

const noteOnly = z.object({ note }).strict();

// Seed 003: the estimate decides whether a supervisor approves the order first.
const estimateCents = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional().meta({ description: 'Estimated cost in cents; over the approval limit a supervisor approves first' });

const serviceRequest = z.discriminatedUnion('resolution', [
  z.object({
    resolution: z.enum(['manufacturer', 'internal', 'not_required']),
    description: z.string().min(1),
    category: z.string().optional(),
    assetIds: z.array(z.string()).optional(),
    estimateCents,
    note,
  }),
  z.object({
    resolution: z.literal('site_visit'),
    jobType,
    description: z.string().min(1),
    category: z.string().optional(),
    assetIds: z.array(z.string()).optional(),
    estimateCents,
    note,
  }),
]);

const approveServiceOrder = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('approve'), note }),
  z.object({ decision: z.literal('reject'), reason: z.string().min(1).max(2000).meta({ description: 'Why the order is rejected (the timeline keeps it)' }), note }),
]);

const investigationOutcome = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.enum(['resolved', 'unable_to_resolve']), note }),
  z.object({ outcome: z.literal('site_visit_required'), jobType, note }),
]);

const serviceReview = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.enum(['resolved', 'cannot_resolve']), note }),
  z.object({ outcome: z.literal('return_to_site'), jobType, note }),
]);

const checklist = z.object({
  answers: z.record(z.string(), z.unknown()).meta({ description: 'Checklist item id to its value' }),
  note,
});

const assetList = z.object({
  assets: z
    .array(
      z.object({
        assetId: z.string().optional().meta({ description: 'The register position to update; a new serial on it records a replacement' }),
        make: z.string().min(1),
        model: z.string().min(1),
        serial: z.string().min(1),
      }),
    )
    .min(1)
    // One position once per task: its lineage has one step per task.
    .refine((assets) => new Set(assets.flatMap((asset) => (asset.assetId ? [asset.assetId] : []))).size === assets.filter((asset) => asset.assetId).length, {
      message: 'an assetId appears twice',
    }),
  note,
});

const documents = z.object({
  documentIds: z.array(z.string().min(1)).min(1).meta({ description: 'Ids of documents uploaded to the project' }),
  note,
});

// Sales (seed 001).
const onboardSite = z.object({
  phases: z.union([z.literal(1), z.literal(2), z.literal(3)]).meta({ description: 'Number of phases at the site' }),
  nmi: nmiSchema().meta({ description: 'National Metering Identifier: 10 characters, or 11 with its NEM12 checksum digit' }),
  roof: z.enum(['tin', 'tile', 'klip_lok', 'flat', 'other']).meta({ description: 'Roof type' }),
  distributor: z.string().min(1).max(200).meta({ description: 'Grid distributor (network operator)' }),
  note,
});

const inspectionReview = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.enum(['pass', 'pass_update_quote', 'reinspect']), note }),
  z.object({ outcome: z.literal('fail'), reason: z.string().min(1).max(2000).meta({ description: 'Why the site cannot be installed' }), note }),
]);

const installationReview = z.object({
  outcome: z.enum(['approve', 'return_to_site']).meta({ description: 'Approve the installation, or send the installers back' }),
  quoteUpdateNeeded: z.boolean().optional().meta({ description: 'Does the quote need updating after approval?' }),
  note,
});

// The installer lists what went on the roof and the wall; a missing serial is recorded later.
const systemInstallation = checklist.extend({
  assets: z
    .array(z.object({ make: z.string().min(1), model: z.string().min(1), serial: z.string().optional() }))
    .optional()
    .meta({ description: 'Installed equipment; leave a serial out if it cannot be read now' }),
});

const OFFICE: Role[] = ['ops', 'supervisor', 'admin'];
const FIELD: Role[] = ['installer', 'supervisor', 'admin'];
const OFFICE_OR_FIELD: Role[] = ['installer', 'ops', 'supervisor', 'admin'];
const SUPERVISORS: Role[] = ['supervisor', 'admin'];

export interface TaskType {
  title: string;
  /** The group a new task of this type is assigned to. */
  group: 'ops' | 'installer' | 'supervisor';
  roles: Role[];
}

type Defined = TaskType & { schema: z.ZodType<Record<string, unknown>> };
const define = (title: string, group: TaskType['group'], roles: Role[], schema: z.ZodType<Record<string, unknown>>): Defined => ({
  title,
  group,
  roles,
  schema,
});

// The schemas stay in this module's scope, out of reach of the exports: the worker
// preloads this module once and freezes what the exports reach, which zod schemas
// (lazily caching onto themselves) do not survive.
const catalogue = {
  service_request: define('Service request', 'ops', OFFICE, serviceRequest),
  approve_service_order: define('Approve service order', 'supervisor', SUPERVISORS, approveServiceOrder),
  manufacturer_outcome: define('Manufacturer outcome', 'ops', OFFICE, investigationOutcome),
  internal_review: define('Internal review', 'ops', OFFICE, investigationOutcome),
  chase_manufacturer: define('Chase the manufacturer', 'ops', OFFICE, noteOnly),
  service_review: define('Service review', 'ops', OFFICE, serviceReview),
  confirm_job: define('Confirm job', 'ops', OFFICE, noteOnly),
  accept_schedule_job: define(
    'Accept and schedule job',
    'installer',
    OFFICE_OR_FIELD,
    z.object({
      scheduledStart: z.iso.datetime({ offset: true }).meta({ description: 'Planned start, ISO 8601 with offset' }),
      installerId: z.string().optional().meta({ description: 'Installer who takes the job; defaults to the one accepting' }),
      note,
    }),
  ),
  audit_checklist: define('Audit checklist', 'installer', FIELD, checklist),
  review_audit_artefacts: define(
    'Review audit artefacts',
    'ops',
    OFFICE,
    z.object({ assetRegisterUpdateNeeded: z.boolean().meta({ description: 'Does the site asset register need updating?' }), note }),
  ),
  update_asset_register: define('Update asset register', 'ops', OFFICE, assetList),
  audit_review: define(
    'Audit review',
    'ops',
    OFFICE,
    z.object({ outcome: z.enum(['completed', 'failed']).meta({ description: 'Outcome of the job' }), note }),
  ),
  pre_start_checklist: define('Pre-start checklist', 'installer', FIELD, checklist),
  testing_commissioning: define('Testing and commissioning', 'installer', FIELD, checklist),
  review_replacement_artefacts: define('Review replacement artefacts', 'ops', OFFICE, noteOnly),
  update_asset_serials: define('Update asset serials', 'ops', OFFICE, assetList),
  upload_regulatory_documents: define('Upload regulatory documents', 'ops', OFFICE, documents),
  onboard_site: define('Onboard customer site', 'ops', OFFICE, onboardSite),
  link_design_project: define('Add a linked design project', 'ops', OFFICE, noteOnly),
  sync_design: define('Sync the design project', 'ops', OFFICE, noteOnly),
  follow_up_customer: define('Follow up the customer', 'ops', OFFICE, noteOnly),
  start_job: define('Start job', 'ops', OFFICE, noteOnly),
  inspection_checklist: define('Inspection checklist', 'installer', FIELD, checklist),
  review_inspection_report: define('Review inspection report', 'ops', OFFICE, inspectionReview),
  update_quote: define('Update the quote in the design tool', 'ops', OFFICE, noteOnly),
  start_installation: define('Start installation', 'ops', OFFICE, noteOnly),
  lodge_application_to_connect: define('Lodge application to connect', 'ops', OFFICE, noteOnly),
  upload_permission_to_connect: define('Upload permission to connect', 'ops', OFFICE, documents),
  setup_stc_site: define('Set up site in STC platform', 'ops', OFFICE, noteOnly),
  send_supplier_order: define('Send order request to supplier', 'ops', OFFICE, noteOnly),
  pre_installation_checklist: define('Pre-installation checklist', 'installer', FIELD, checklist),
  roof_works: define('Roof works', 'installer', FIELD, checklist),
  system_installation: define('System installation', 'installer', FIELD, systemInstallation),
  commissioning_sheet: define('Commissioning sheet', 'installer', FIELD, checklist),
  review_installation_reports: define('Review installation reports', 'ops', OFFICE, installationReview),
  upload_compliance_documents: define('Upload installation compliance documents', 'ops', OFFICE, documents),
  invoice_customer: define('Invoice customer', 'ops', OFFICE, noteOnly),
  confirm_payment: define('Confirm customer payment', 'ops', OFFICE, noteOnly),
} satisfies Record<string, Defined>;

export type TaskTypeName = keyof typeof catalogue;

export const taskTypes = Object.fromEntries(
  Object.entries(catalogue).map(([name, { title, group, roles }]) => [name, { title, group, roles }]),
) as Record<TaskTypeName, TaskType>;

const known = (name: string): name is TaskTypeName => Object.prototype.hasOwnProperty.call(catalogue, name);

export function taskType(name: string): TaskType | undefined {
  return known(name) ? taskTypes[name] : undefined;
}

/** The payload schema of a task type (for the API's documents; workflows use parseTaskPayload). */
export function taskSchema(name: string): z.ZodType<Record<string, unknown>> | undefined {
  return known(name) ? catalogue[name].schema : undefined;
}

export type PayloadCheck =
  | { ok: true; payload: Record<string, unknown> }
  | { ok: false; errors: { path: string; message: string }[] };

export function parseTaskPayload(type: string, payload: unknown): PayloadCheck {
  const schema = taskSchema(type);
  if (!schema) return { ok: false, errors: [{ path: '', message: `unknown task type ${type}` }] };
  const parsed = schema.safeParse(payload ?? {});
  if (parsed.success) return { ok: true, payload: parsed.data };
  return { ok: false, errors: allIssues(schema, payload ?? {}, parsed.error.issues) };
}
