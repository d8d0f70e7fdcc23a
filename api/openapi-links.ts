// OpenAPI links: where the ids in an answer lead. Clients read them as "what can I do
// next with this"; stateful test tools (Schemathesis, scripts/schemathesis.ts) follow them
// to chain a creation into its reads, its tasks' completions and the jobs those make.
import type { ZodOpenApiLinkObject, ZodOpenApiPathsObject } from 'zod-openapi';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type LinkSet = Record<string, ZodOpenApiLinkObject>;

/** A JSON Pointer to an operation of this document, as `operationRef` wants it. */
export const operationRef = (method: Method, path: string) =>
  `#/paths/${encodeURIComponent(path.replaceAll('~', '~0').replaceAll('/', '~1')).replaceAll('%7E', '~')}/${method}`;

const link = (description: string, method: Method, path: string, parameters: Record<string, string>, requestBody?: unknown): ZodOpenApiLinkObject => ({
  description,
  operationRef: operationRef(method, path),
  ...(Object.keys(parameters).length ? { parameters } : {}),
  // The body as given (Schemathesis would otherwise merge generated fields into it).
  ...(requestBody !== undefined ? { requestBody, 'x-schemathesis': { merge_body: false } } : {}),
});

/** What a project's id leads to; `at` points at the project in the answer (with its jobs unless it was just made). */
const projectLinks = (at: string, { withJobs = true } = {}): LinkSet => {
  const id = { id: `$response.body#${at}/id` };
  return {
    project: link('The project', 'get', '/projects/{id}', id),
    timeline: link("The project's timeline", 'get', '/projects/{id}/timeline', id),
    documents: link("The project's documents", 'get', '/projects/{id}/documents', id),
    upload: link('Upload a document to the project', 'post', '/projects/{id}/documents', id),
    tasks: link("The project's tasks", 'get', '/tasks', { projectId: `$response.body#${at}/id` }),
    cancel: link('Cancel the project', 'post', '/projects/{id}/cancel', id),
    invoiceDraft: link("The project's invoice draft", 'get', '/projects/{id}/invoice-draft', id),
    invoiceDraftPdf: link('The invoice draft as PDF', 'get', '/projects/{id}/invoice-draft.pdf', id),
    openTask: link('Its first open task', 'get', '/tasks/{id}', { id: `$response.body#${at}/openTasks/0/id` }),
    completeOpenTask: link('Complete its first open task', 'post', '/tasks/{id}/complete', { id: `$response.body#${at}/openTasks/0/id` }),
    ...(withJobs ? jobLinks(`$response.body#${at}/jobs/0/id`) : {}),
  };
};

/** What a job's id leads to. */
const jobLinks = (jobId: string): LinkSet => {
  const id = { id: jobId };
  return {
    job: link('Its first job', 'get', '/jobs/{id}', id),
    jobCard: link("The job's card", 'get', '/jobs/{id}/card', id),
    claimJob: link('Claim the job (installer)', 'post', '/jobs/{id}/claim', id),
    assignJob: link('Give the job to an installer', 'post', '/jobs/{id}/assign', id),
    closeJob: link('Close the job as not carried out', 'post', '/jobs/{id}/close', id),
    trips: link("The job's trips", 'get', '/jobs/{id}/trips', id),
    planTrip: link('Plan a trip', 'post', '/jobs/{id}/trips', id),
    protocol: link("The job's protocol", 'get', '/jobs/{id}/protocol', id),
    editProtocol: link('Set the fault and the solution', 'patch', '/jobs/{id}/protocol', id),
    addMaterial: link('Add a material line', 'post', '/jobs/{id}/protocol/materials', id),
    addWork: link('Add a work line', 'post', '/jobs/{id}/protocol/work', id),
    attach: link('Attach an image', 'post', '/jobs/{id}/protocol/attachments', id),
    confirm: link('Raise a confirmation', 'post', '/jobs/{id}/confirmations', id),
    workOrders: link('The work orders', 'get', '/jobs/{id}/work-orders', id),
    workOrderPdf: link('The latest work order as PDF', 'get', '/jobs/{id}/work-order.pdf', id),
    messages: link('The job channel', 'get', '/jobs/{id}/messages', id),
    writeMessage: link('Write to the job channel', 'post', '/jobs/{id}/messages', id),
  };
};

const tripStep = (step: 'start' | 'arrive' | 'finish', description: string) =>
  link(description, 'post', `/jobs/{id}/trips/{tripId}/${step}`, { id: '$request.path.id', tripId: '$response.body#/id' });

/** Links per operation (`method path`) and status. */
export const links: Record<string, Record<number, LinkSet>> = {
  'post /customers': {
    201: {
      customer: link('The customer', 'get', '/customers/{id}', { id: '$response.body#/id' }),
      addSite: link('Add a site to the customer', 'post', '/customers/{id}/sites', { id: '$response.body#/id' }),
      sites: link("The customer's sites", 'get', '/customers/{id}/sites', { id: '$response.body#/id' }),
    },
  },
  'post /customers/{id}/sites': {
    201: {
      serviceProject: link('Open a service case at the site', 'post', '/projects', {}, { kind: 'service', customerId: '$response.body#/customerId', siteId: '$response.body#/id' }),
      salesProject: link('Start a sale for the site', 'post', '/projects', {}, { kind: 'sales', customerId: '$response.body#/customerId', siteId: '$response.body#/id' }),
      assets: link("The site's asset register", 'get', '/sites/{id}/assets', { id: '$response.body#/id' }),
      plans: link("The site's maintenance plans", 'get', '/sites/{id}/plans', { id: '$response.body#/id' }),
      addPlan: link('Add a yearly maintenance plan to the site', 'post', '/sites/{id}/plans', { id: '$response.body#/id' }, { title: 'Yearly inverter service', category: 'inverter', every: 'P1Y', startAt: '2090-01-01T08:00:00+10:30' }),
    },
  },
  'post /sites/{id}/plans': {
    201: {
      plans: link("The site's maintenance plans", 'get', '/sites/{id}/plans', { id: '$request.path.id' }),
      pause: link('Pause the plan', 'post', '/plans/{id}/pause', { id: '$response.body#/id' }),
      resume: link('Resume the plan', 'post', '/plans/{id}/resume', { id: '$response.body#/id' }),
      delete: link('Delete the plan', 'delete', '/plans/{id}', { id: '$response.body#/id' }),
    },
  },
  'post /projects': {
    201: {
      ...projectLinks('', { withJobs: false }),
      sendInstaller: link(
        "Answer a service case's request with a site visit (its first task), which makes a job",
        'post',
        '/tasks/{id}/complete',
        { id: '$response.body#/openTasks/0/id' },
        { description: 'Inverter shows an error', resolution: 'site_visit', jobType: 'audit' },
      ),
    },
  },
  'get /projects/{id}': { 200: projectLinks('') },
  'post /projects/{id}/cancel': { 200: { project: link('The project', 'get', '/projects/{id}', { id: '$response.body#/id' }) } },
  'post /tasks/{id}/complete': { 200: projectLinks('/project') },
  'get /tasks/{id}': { 200: { complete: link('Complete the task', 'post', '/tasks/{id}/complete', { id: '$response.body#/id' }) } },
  'post /projects/{id}/documents': {
    201: {
      download: link('Download it', 'get', '/documents/{id}', { id: '$response.body#/id' }),
      attach: link("Attach it to its job's protocol", 'post', '/jobs/{id}/protocol/attachments', { id: '$response.body#/jobId' }, { documentId: '$response.body#/id', kind: 'photo' }),
    },
  },
  'post /jobs/{id}/claim': { 200: jobLinks('$response.body#/id') },
  'post /jobs/{id}/assign': { 200: jobLinks('$response.body#/id') },
  'post /jobs/{id}/trips': {
    201: {
      start: tripStep('start', 'On my way'),
      arrive: tripStep('arrive', 'Arrived on site'),
      finish: tripStep('finish', 'Trip finished'),
      edit: link("Change the trip's distance or planned start", 'patch', '/jobs/{id}/trips/{tripId}', { id: '$request.path.id', tripId: '$response.body#/id' }),
    },
  },
  'post /jobs/{id}/protocol/materials': {
    201: { removeMaterial: link('Remove its first material line', 'delete', '/jobs/{id}/protocol/materials/{lineId}', { id: '$request.path.id', lineId: '$response.body#/materials/0/id' }) },
  },
  'post /jobs/{id}/protocol/work': {
    201: { removeWork: link('Remove its first work line', 'delete', '/jobs/{id}/protocol/work/{lineId}', { id: '$request.path.id', lineId: '$response.body#/work/0/id' }) },
  },
  'post /jobs/{id}/protocol/attachments': {
    201: { detach: link('Detach its first attachment', 'delete', '/jobs/{id}/protocol/attachments/{documentId}', { id: '$request.path.id', documentId: '$response.body#/attachments/0/documentId' }) },
  },
  'post /articles': {
    201: { edit: link('Change the article', 'patch', '/articles/{id}', { id: '$response.body#/id' }) },
  },
  'post /users': {
    201: { disable: link('Disable the user', 'post', '/users/{id}/disable', { id: '$response.body#/id' }) },
  },
};

/**
 * The paths with each operation's links on its responses. A link to an operation or a
 * response the document does not have is a mistake here, so it throws.
 */
export function withLinks(paths: ZodOpenApiPathsObject): ZodOpenApiPathsObject {
  const operation = (method: string, path: string) => (paths[path] as Record<string, { responses?: Record<string, Record<string, unknown>> }> | undefined)?.[method];
  const result: ZodOpenApiPathsObject = { ...paths };
  for (const [key, byStatus] of Object.entries(links)) {
    const [method, path] = key.split(' ');
    const source = operation(method, path);
    if (!source?.responses) throw new Error(`OpenAPI links from ${key}: no such operation`);
    const responses = { ...source.responses };
    for (const [status, set] of Object.entries(byStatus)) {
      if (!responses[status]) throw new Error(`OpenAPI links from ${key}: it has no ${status} answer`);
      for (const target of Object.values(set)) {
        const [, pointer, targetMethod] = /^#\/paths\/(.+)\/(\w+)$/.exec(target.operationRef!)!;
        const targetPath = decodeURIComponent(pointer).replaceAll('~1', '/').replaceAll('~0', '~');
        if (!operation(targetMethod, targetPath)) throw new Error(`OpenAPI link from ${key}: no operation ${targetMethod} ${targetPath}`);
      }
      responses[status] = { ...responses[status], links: set };
    }
    result[path] = { ...result[path], [method]: { ...source, responses } };
  }
  return result;
}
