// The floor's activities: registered and called exactly like Fieldflow's (normal
// activities, recorded in history), but they do nothing. floorWrite is the read-model
// write (applyReadModelChanges, after every change); floorCheckJobs is the check on jobs
// a project carried across continue-as-new (checkJobs, when their watch comes due).
export const floorActivities = {
  async floorWrite(_changes: { n: number }): Promise<void> {
    // no-op
  },
  async floorCheckJobs(workflowIds: string[]): Promise<{ workflowId: string; running: boolean }[]> {
    return workflowIds.map((workflowId) => ({ workflowId, running: true }));
  },
};
