// The floor's activities: registered and called exactly like Fieldflow's (normal
// activities, recorded in history), but they do nothing. floorWrite is the read-model
// write (applyReadModelChanges, after every change); floorCheckJobs is the check on jobs
// a project carried across continue-as-new (checkJobs, when their watch comes due);
// floorDesign is a sales project's call to the design tool (link, sync, archive);
// floorWorkOrder is a job's work-order PDF (generateWorkOrder, version 1 at confirmation).
export const floorActivities = {
  async floorDesign(_call: { call: 'link' | 'sync' | 'archive' }): Promise<void> {
    // no-op
  },
  async floorWorkOrder(_order: { version: number }): Promise<{ documentId: string }> {
    return { documentId: 'floor' };
  },
  async floorWrite(_changes: { n: number }): Promise<void> {
    // no-op
  },
  async floorCheckJobs(workflowIds: string[]): Promise<{ workflowId: string; running: boolean }[]> {
    return workflowIds.map((workflowId) => ({ workflowId, running: true }));
  },
};
