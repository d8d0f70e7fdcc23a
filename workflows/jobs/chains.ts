// The task chain of each kind of site visit, as PRODUCT.md lists it. A step opens its
// tasks together and is done when all of them are; a step with `when` is skipped unless
// an earlier answer (or the kind of visit) asks for it.
import type { TaskTypeName } from '../tasks/catalogue';
import type { JobOutcome, SiteJobState, SiteJobType } from './definitions';

export interface Step {
  tasks: TaskTypeName[];
  when?: (state: SiteJobState) => boolean;
}

export interface Chain {
  steps: Step[];
  outcome: (state: SiteJobState) => JobOutcome;
  /** What the project acts on when the job ends: its review's answer (and what it installed). */
  report?: (state: SiteJobState) => Record<string, unknown> | undefined;
  /** Steps before this index prepare the job; once past them the job is `prepared`. */
  prepared?: number;
}

const firstVisit = (s: SiteJobState) => s.variant !== 'rework';

export const chains: Partial<Record<SiteJobType, Chain>> = {
  audit: {
    steps: [
      { tasks: ['confirm_job'] },
      { tasks: ['accept_schedule_job'] },
      { tasks: ['audit_checklist'] },
      { tasks: ['review_audit_artefacts'] },
      { tasks: ['update_asset_register'], when: (s) => s.results.review_audit_artefacts?.assetRegisterUpdateNeeded === true },
      { tasks: ['audit_review'] },
    ],
    outcome: (s) => (s.results.audit_review?.outcome === 'failed' ? 'failed' : 'completed'),
  },
  replacement: {
    steps: [
      { tasks: ['confirm_job'] },
      { tasks: ['accept_schedule_job'] },
      { tasks: ['pre_start_checklist', 'testing_commissioning'] },
      { tasks: ['review_replacement_artefacts'] },
      { tasks: ['update_asset_serials'] },
      { tasks: ['upload_regulatory_documents'] },
    ],
    outcome: () => 'completed',
  },
  // Sales (seed 001): the inspection before an installation.
  inspection: {
    steps: [
      { tasks: ['start_job'] },
      { tasks: ['accept_schedule_job'] },
      { tasks: ['inspection_checklist'] },
      { tasks: ['review_inspection_report'] },
    ],
    outcome: (s) => (s.results.review_inspection_report?.outcome === 'fail' ? 'failed' : 'completed'),
    report: (s) => s.results.review_inspection_report,
  },
  // The installation: preparation in parallel (the job is `prepared` when all are done),
  // then the installer's reports and their review. A rework visit skips the preparation.
  installation: {
    steps: [
      {
        tasks: ['start_job', 'lodge_application_to_connect', 'upload_permission_to_connect', 'accept_schedule_job', 'setup_stc_site', 'send_supplier_order'],
        when: firstVisit,
      },
      { tasks: ['accept_schedule_job'], when: (s) => !firstVisit(s) },
      { tasks: ['pre_installation_checklist', 'roof_works', 'system_installation', 'commissioning_sheet'] },
      { tasks: ['review_installation_reports'] },
    ],
    outcome: () => 'completed',
    report: (s) =>
      s.results.review_installation_reports && {
        ...s.results.review_installation_reports,
        installedAssets: s.results.system_installation?.assets ?? [],
      },
    prepared: 2,
  },
};
