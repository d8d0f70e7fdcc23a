// The stages of each kind of project (PRODUCT.md), in the order a project moves through them.
export const SERVICE_STAGES = ['requesting', 'investigating', 'servicing', 'reviewing'];
export const SERVICE_FLOW = [...SERVICE_STAGES, 'closed'];

export const SALES_STAGES = ['onboarding', 'quoting', 'considering', 'committing', 'inspection', 'installation'];
export const SALES_FLOW = [...SALES_STAGES, 'completed'];

/** Every open stage of either kind, for filters. */
export const ALL_STAGES = [...SERVICE_STAGES, ...SALES_STAGES];

/** The stages a project of this kind walks through, ending in its finished stage. */
export const flowOf = (kind: string): string[] => (kind === 'sales' ? SALES_FLOW : SERVICE_FLOW);

/** Where a project ends: no more work (its last flow stage, or cancelled). */
export const isFinished = (stage: string): boolean => stage === 'closed' || stage === 'completed' || stage === 'cancelled';

export const stageHelp: Record<string, string> = {
  requesting: 'The request is being described and routed',
  investigating: 'The manufacturer or our team is looking into it',
  servicing: 'A site job is under way',
  reviewing: 'The job is done; the outcome is reviewed',
  closed: 'Finished',
  onboarding: 'The site is being described',
  quoting: 'Proposals are being designed in the design tool',
  considering: 'A proposal was sent; the customer is considering it',
  committing: 'The customer signed; waiting for the deposit',
  inspection: 'An inspection job checks the site',
  installation: 'The system is being prepared and installed',
  completed: 'Installed, invoiced and paid',
  cancelled: 'Cancelled; nothing more happens',
};
