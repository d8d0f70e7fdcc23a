// Every workflow the worker registers.
export { serviceProject } from './service/workflow';
export { siteJob } from './jobs/workflow';
export { salesProject } from './sales/workflow';
export { plannedCase } from './plans/workflow';
