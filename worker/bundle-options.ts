// How the workflows are bundled, in one place for the worker, the tests and the history
// recorder. Modules listed here are evaluated once per worker and shared by every
// workflow instead of once per workflow (SDK option preloadModules): zod, and the task
// catalogue with its schemas. Both are stateless and deterministic. The SDK deep-freezes
// what a preloaded module's exports reach, so the catalogue keeps its zod schemas out of
// its exports (they cache lazily onto themselves and would break frozen).
export const workflowPreloadModules = ['zod', require.resolve('../workflows/tasks/catalogue')];
