// The floor's read-model write: registered and called exactly like Fieldflow's
// applyReadModelChanges (a local activity after every change), but it does nothing.
export const floorActivities = {
  async floorWrite(_changes: { n: number }): Promise<void> {
    // no-op
  },
};
