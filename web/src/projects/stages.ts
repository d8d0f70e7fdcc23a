// The stages of a service project (PRODUCT.md), in the order a project moves through them.
export const SERVICE_STAGES = ['requesting', 'investigating', 'servicing', 'reviewing'];
export const SERVICE_FLOW = [...SERVICE_STAGES, 'closed'];

export const stageHelp: Record<string, string> = {
  requesting: 'The request is being described and routed',
  investigating: 'The manufacturer or our team is looking into it',
  servicing: 'A site job is under way',
  reviewing: 'The job is done; the outcome is reviewed',
  closed: 'Finished',
};
