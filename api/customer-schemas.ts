// The office's customer and site pages: what staff may change on a customer or a site,
// and the shapes of the pages' reads. Kept apart from schemas.ts so the contract of the
// core routes reads on its own; the OpenAPI document is generated from these too.
import { z } from 'zod';
import { nmiSchema } from '../workflows/tasks/nmi';
import { Customer, customerStatuses, Email, Site } from './schemas';

const id = z.string().min(1);
const time = z.iso.datetime({ offset: true });

/** A body that changes nothing is a mistake in the client, not a no-op to hide. */
const somethingToChange = (value: Record<string, unknown>) => Object.keys(value).length > 0;
const NOTHING = { message: 'give at least one field to change' };

/** Digits with the usual separators; a leading + for an international number. */
const phone = z
  .string()
  .max(50)
  .regex(/^\+?[\d\s().-]+$/, { message: 'a phone number has digits, spaces and ( ) - only, with an optional leading +', abort: true })
  .refine((value) => (value.match(/\d/g) ?? []).length >= 4, 'a phone number has at least 4 digits');

export const CustomerPatch = z
  .object({
    name: z.string().trim().min(1, 'the name cannot be empty').max(200),
    // The same limits as at creation: the answer declares `format: email`.
    email: Email.nullable(),
    phone: phone.nullable(),
  })
  .partial()
  .strict()
  .refine(somethingToChange, NOTHING)
  .meta({ id: 'CustomerPatch', description: 'The fields to change; `null` clears email or phone' });

export const SitePatch = z
  .object({
    address: z.string().trim().min(1, 'the address cannot be empty').max(500),
    phases: z.union([z.literal(1), z.literal(2), z.literal(3)], { error: 'a site has 1, 2 or 3 phases' }).nullable(),
    nmi: nmiSchema().nullable(),
    latitude: z.number().min(-90).max(90).nullable(),
    longitude: z.number().min(-180).max(180).nullable(),
  })
  .partial()
  .strict()
  .refine(somethingToChange, NOTHING)
  // A position is both coordinates: set both, or clear both.
  .refine((value) => (value.latitude === undefined) === (value.longitude === undefined) && (value.latitude === null) === (value.longitude === null), {
    message: 'latitude and longitude go together: give both, or clear both',
    path: ['longitude'],
    // Said with the other fields' errors, not after they are fixed.
    when: (payload) => typeof payload.value === 'object' && payload.value !== null,
  })
  .meta({ id: 'SitePatch', description: 'The fields to change; `null` clears an optional one' });

const edited = { updatedAt: time.optional(), updatedBy: z.string().optional().meta({ description: "The editor's display name" }) };

export const CustomerDetail = Customer.extend(edited).meta({ id: 'CustomerDetail' });

export const SiteDetail = Site.extend({
  ...edited,
  mapsUrl: z.string().meta({ description: 'OpenStreetMap search for the address (or the coordinates when known)' }),
  customer: z.object({ id, name: z.string() }),
}).meta({ id: 'SiteDetail' });

export const Contact = z
  .object({
    kind: z.enum(['primary', 'portal_user']),
    name: z.string(),
    phone: z.string().optional(),
    phoneUrl: z.string().optional().meta({ description: '`tel:` link' }),
    email: z.string().optional(),
  })
  .meta({ id: 'Contact' });

export const ProjectSummary = z
  .object({
    id,
    kind: z.enum(['sales', 'service']),
    title: z.string().optional(),
    stage: z.string(),
    outcome: z.string().optional(),
    customerStatus: z.enum(customerStatuses),
    siteId: id,
    siteAddress: z.string(),
    createdAt: time,
    updatedAt: time,
    closedAt: time.optional(),
  })
  .meta({ id: 'ProjectSummary' });

export const CustomerOverview = z
  .object({
    customer: CustomerDetail,
    contacts: z.array(Contact),
    sites: z.array(SiteDetail.omit({ customer: true })),
    openProjects: z.array(ProjectSummary),
    pastProjects: z.array(ProjectSummary),
    documents: z.array(
      z.object({ id, name: z.string(), size: z.number().int(), contentType: z.string(), projectId: id, projectTitle: z.string().optional(), createdAt: time }),
    ),
  })
  .meta({ id: 'CustomerOverview' });

export const SiteVisit = z.object({
  id,
  type: z.string(),
  status: z.string(),
  outcome: z.string().optional(),
  scheduledStart: time.optional(),
  completedAt: time.optional(),
  installer: z.object({ id, name: z.string() }).optional(),
});

export const SiteHistory = z
  .object({ items: z.array(ProjectSummary.extend({ jobs: z.array(SiteVisit) })) })
  .meta({ id: 'SiteHistory', description: "The site's projects, newest first, each with its site visits" });
