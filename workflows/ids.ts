// Business keys as workflow ids, each helper next to its inverse. No imports: the API
// and the workflows both use these.
export const serviceWorkflowId = (projectId: string): string => `service-${projectId}`;
export const projectIdFromServiceWorkflowId = (workflowId: string): string | undefined =>
  workflowId.startsWith('service-') ? workflowId.slice('service-'.length) : undefined;

export const salesWorkflowId = (projectId: string): string => `sales-${projectId}`;
export const projectIdFromSalesWorkflowId = (workflowId: string): string | undefined =>
  workflowId.startsWith('sales-') ? workflowId.slice('sales-'.length) : undefined;
/** A project's workflow id by kind. */
export const projectWorkflowId = (kind: 'service' | 'sales', projectId: string): string =>
  kind === 'sales' ? salesWorkflowId(projectId) : serviceWorkflowId(projectId);

export const jobIdFor = (projectId: string, sequence: number): string => `${projectId}-j${sequence}`;
export const jobWorkflowId = (jobId: string): string => `job-${jobId}`;
export const jobIdFromJobWorkflowId = (workflowId: string): string | undefined =>
  workflowId.startsWith('job-') ? workflowId.slice('job-'.length) : undefined;
