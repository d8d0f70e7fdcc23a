// The task chain of each kind of site visit, as PRODUCT.md lists it. A step opens its
// tasks together and is done when all of them are; a step with `when` is skipped unless
// an earlier answer asks for it.
import type { TaskTypeName } from '../tasks/catalogue';
import type { JobOutcome, SiteJobState, SiteJobType } from './definitions';

export interface Step {
  tasks: TaskTypeName[];
  when?: (state: SiteJobState) => boolean;
}

export interface Chain {
  steps: Step[];
  outcome: (state: SiteJobState) => JobOutcome;
}

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
};
