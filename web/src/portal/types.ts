// The customer portal's words and shapes: what a case is, its status said plainly.
import type { CustomerStatus, Project } from '../api/types';

export type CaseKind = 'issue' | 'request' | 'deviation';

/** A project as GET /projects/:id answers a customer: with what the case was raised with. */
export interface CaseView extends Omit<Project, 'workflowId'> {
  case?: { kind: string; category: string; description: string; source: string };
}

/** The three forms: their address, heading and what they ask. */
export const CASE_FORMS: Record<CaseKind, { title: string; intro: string; describe: string; submit: string }> = {
  issue: {
    title: 'Report an issue',
    intro: 'Something does not work as it should. Tell us what you see, and we take it from there.',
    describe: 'What happens, since when, and any message or code the equipment shows',
    submit: 'Report the issue',
  },
  request: {
    title: 'Ask for something',
    intro: 'A service visit, a change, a document or advice: ask, and the office answers in the case.',
    describe: 'What you would like, and by when if it matters',
    submit: 'Send the request',
  },
  deviation: {
    title: 'Record a deviation',
    intro: 'Something differs from what was agreed or installed. Record it, so it is followed up.',
    describe: 'What differs from what was agreed, and where on the site',
    submit: 'Record the deviation',
  },
};

export const isCaseKind = (value: string | undefined): value is CaseKind => value === 'issue' || value === 'request' || value === 'deviation';

/** The categories people pick from; "other" lets them name their own. */
export const CATEGORIES = [
  { value: 'inverter', label: 'Inverter' },
  { value: 'battery', label: 'Battery' },
  { value: 'panels', label: 'Solar panels' },
  { value: 'metering', label: 'Meter or metering' },
  { value: 'wiring', label: 'Wiring, switches and isolators' },
  { value: 'monitoring', label: 'Monitoring app or display' },
  { value: 'roof', label: 'Roof or mounting' },
  { value: 'documents', label: 'Documents and paperwork' },
] as const;

export const categoryLabel = (value: string): string => CATEGORIES.find((category) => category.value === value)?.label ?? value;

/** The customer-facing status in the customer's words: a short name and what it means for them. */
export const STATUS_FOR_CUSTOMERS: Record<CustomerStatus, { text: string; meaning: string }> = {
  planned: { text: 'Planned', meaning: 'We have your case and are handling it. No one has been on site for it yet.' },
  in_progress: { text: 'In progress', meaning: 'Work has begun: a visit is under way or done, and we are following it up.' },
  completed: { text: 'Completed', meaning: 'The work is done and the case is closed.' },
  cancelled: { text: 'Cancelled', meaning: 'The case is closed without work on site: it was not needed or could not go ahead.' },
  problem: { text: 'Needs attention', meaning: 'A visit could not be carried out or did not solve it. The office is on it and will contact you.' },
};

export const casePath = (projectId: string) => `/cases/${encodeURIComponent(projectId)}`;
