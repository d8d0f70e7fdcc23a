// Who can see what, as a matrix: every role (and a second installer and a second
// customer) against every route of the OpenAPI document, on their own object and on
// someone else's. The table below is the one in the README's "Who can see what"; check
// it against PRODUCT.md's roles. A route missing from the table fails the test, and no
// answer about a foreign object may carry any of that object's data.
import crypto from 'node:crypto';
import { Flow } from './support/flows';
import { startTestSystem, type TestSystem } from './support/system';

let system: TestSystem;
const api = () => system.api;

/** One side's objects: a project at its customer's site, its job (taken by its installer), the job's open field task, a document. */
interface Objects {
  projectId: string;
  title: string;
  customerId: string;
  siteId: string;
  jobId: string;
  taskId: string;
  documentId: string;
  /** A maintenance plan of the side's site (yearly, far in the future: it never runs here). */
  planId: string;
}

async function makeObjects(customerId: string, _demoSite: string, installer: string): Promise<Objects> {
  const title = `Matrix ${crypto.randomUUID()}`;
  // A site of its own: with PostgreSQL the test files share one database, and another
  // file's job for an installer at a demo site would make that site theirs too.
  const site = await api().as('ops').post(`/customers/${customerId}/sites`, { address: `${title}, 1 Matrix Road` });
  if (site.status !== 201) throw new Error(`site: ${site.status} ${JSON.stringify(site.body)}`);
  const siteId: string = site.body.id;
  const flow = await Flow.create(api(), title, customerId, siteId);
  await flow.complete('service_request', { description: 'matrix', resolution: 'site_visit', jobType: 'audit' });
  await flow.complete('confirm_job');
  await flow.complete('accept_schedule_job', { scheduledStart: '2026-12-01T09:00:00+10:30' }, installer);
  const project = await flow.project();
  const task = await flow.openTask('audit_checklist');
  // The installer's own field work: an upload ties it to their open job.
  const document = await flow.uploadDocument('matrix.pdf', `%PDF-1.4 ${title}`, installer);
  const plan = await api().as('ops').post(`/sites/${siteId}/plans`, { title: `${title} plan`, category: 'inverter', every: 'P1Y', startAt: '2090-01-01T00:00:00Z' });
  if (plan.status !== 201) throw new Error(`plan: ${plan.status} ${JSON.stringify(plan.body)}`);
  return { projectId: flow.projectId, title, customerId, siteId, jobId: project.jobs[0].id, taskId: task.id, documentId: document.id, planId: plan.body.id };
}

type Role = 'admin' | 'supervisor' | 'ops' | 'installer' | 'customer';
/** "own/foreign": the status on the actor's own object, and on the other side's. */
type Cell = `${number}/${number}`;
interface Row {
  /** The request's path for one side's objects. */
  path: (objects: Objects) => string;
  body?: unknown;
  /** Send an empty multipart form. */
  form?: boolean;
  expect: Record<Role, Cell>;
}

const staff = (cell: Cell) => ({ admin: cell, supervisor: cell, ops: cell });

// The expected answers. Staff see and do everything (task types still name who may
// complete them: an audit checklist is field work, ops may not). An installer works on
// the jobs assigned to them and their projects' field-work view. A customer sees their
// own customer's sites, cases and documents. Bodies are deliberately incomplete, so an
// allowed write answers 400 and changes nothing, and a refused one answers 403.
//                                                                             own/foreign
export const TABLE: Record<string, Row> = {
  'GET /auth/me': { path: () => '/auth/me', expect: { ...staff('200/200'), installer: '200/200', customer: '200/200' } },
  'GET /task-types': { path: () => '/task-types', expect: { ...staff('200/200'), installer: '200/200', customer: '200/200' } },
  'GET /settings': { path: () => '/settings', expect: { ...staff('200/200'), installer: '200/200', customer: '200/200' } },
  'GET /people': { path: () => '/people', expect: { ...staff('200/200'), installer: '200/200', customer: '403/403' } },
  'POST /stream/tickets': { path: () => '/stream/tickets', expect: { ...staff('201/201'), installer: '201/201', customer: '201/201' } },
  'GET /stream': { path: (o) => `/stream?projectId=${o.projectId}`, expect: { ...staff('200/200'), installer: '200/403', customer: '200/403' } },
  'GET /customers': { path: () => '/customers', expect: { ...staff('200/200'), installer: '403/403', customer: '403/403' } },
  'POST /customers': { path: () => '/customers', body: {}, expect: { ...staff('400/400'), installer: '403/403', customer: '403/403' } },
  'GET /customers/{id}': { path: (o) => `/customers/${o.customerId}`, expect: { ...staff('200/200'), installer: '403/403', customer: '200/403' } },
  'GET /customers/{id}/sites': { path: (o) => `/customers/${o.customerId}/sites`, expect: { ...staff('200/200'), installer: '403/403', customer: '200/403' } },
  // The office's customer and site pages, and their edits: staff only (a site's own facts also to its customer and its installers).
  'PATCH /customers/{id}': { path: (o) => `/customers/${o.customerId}`, body: { name: '' }, expect: { ...staff('400/400'), installer: '403/403', customer: '403/403' } },
  // Inviting a customer's contacts to the portal is the office's.
  'POST /customers/{id}/invitations': { path: (o) => `/customers/${o.customerId}/invitations`, body: {}, expect: { ...staff('400/400'), installer: '403/403', customer: '403/403' } },
  'GET /customers/{id}/invitations': { path: (o) => `/customers/${o.customerId}/invitations`, expect: { ...staff('200/200'), installer: '403/403', customer: '403/403' } },
  'GET /customers/{id}/overview': { path: (o) => `/customers/${o.customerId}/overview`, expect: { ...staff('200/200'), installer: '403/403', customer: '403/403' } },
  'GET /sites/{id}': { path: (o) => `/sites/${o.siteId}`, expect: { ...staff('200/200'), installer: '200/403', customer: '200/403' } },
  'PATCH /sites/{id}': { path: (o) => `/sites/${o.siteId}`, body: { nmi: 'x' }, expect: { ...staff('400/400'), installer: '403/403', customer: '403/403' } },
  'GET /sites/{id}/history': { path: (o) => `/sites/${o.siteId}/history`, expect: { ...staff('200/200'), installer: '403/403', customer: '403/403' } },
  'POST /customers/{id}/sites': { path: (o) => `/customers/${o.customerId}/sites`, body: {}, expect: { ...staff('400/400'), installer: '403/403', customer: '403/403' } },
  // QR codes: a site's code and a customer's sheet for staff and that customer; revoking is the office's.
  'GET /sites/{id}/qr': { path: (o) => `/sites/${o.siteId}/qr`, expect: { ...staff('200/200'), installer: '403/403', customer: '200/403' } },
  'POST /sites/{id}/qr/revoke': { path: (o) => `/sites/${o.siteId}/qr/revoke`, expect: { ...staff('200/200'), installer: '403/403', customer: '403/403' } },
  'GET /customers/{id}/qr-sheet': { path: (o) => `/customers/${o.customerId}/qr-sheet`, expect: { ...staff('200/200'), installer: '403/403', customer: '200/403' } },
  'GET /projects': { path: () => '/projects?limit=200', expect: { ...staff('200/200'), installer: '403/403', customer: '200/200' } },
  'GET /search': { path: (o) => `/search?q=${encodeURIComponent(o.title)}`, expect: { ...staff('200/200'), installer: '403/403', customer: '403/403' } },
  'POST /projects': { path: () => '/projects', body: {}, expect: { ...staff('400/400'), installer: '403/403', customer: '403/403' } },
  'POST /cases': { path: () => '/cases', body: {}, expect: { ...staff('400/400'), installer: '403/403', customer: '400/400' } },
  'GET /projects/{id}': { path: (o) => `/projects/${o.projectId}`, expect: { ...staff('200/200'), installer: '200/403', customer: '200/403' } },
  // Any stage may end in cancelled, by a supervisor (PRODUCT.md); the empty body is refused after the role check.
  'POST /projects/{id}/cancel': { path: (o) => `/projects/${o.projectId}/cancel`, body: {}, expect: { admin: '400/400', supervisor: '400/400', ops: '403/403', installer: '403/403', customer: '403/403' } },
  'GET /projects/{id}/timeline': { path: (o) => `/projects/${o.projectId}/timeline`, expect: { ...staff('200/200'), installer: '200/403', customer: '200/403' } },
  'GET /projects/{id}/documents': { path: (o) => `/projects/${o.projectId}/documents`, expect: { ...staff('200/200'), installer: '200/403', customer: '200/403' } },
  'POST /projects/{id}/documents': { path: (o) => `/projects/${o.projectId}/documents`, form: true, expect: { ...staff('400/400'), installer: '400/403', customer: '403/403' } },
  'GET /documents/{id}': { path: (o) => `/documents/${o.documentId}`, expect: { ...staff('200/200'), installer: '200/403', customer: '200/403' } },
  'GET /tasks': { path: () => '/tasks?limit=200', expect: { ...staff('200/200'), installer: '200/200', customer: '403/403' } },
  'GET /tasks/{id}': { path: (o) => `/tasks/${o.taskId}`, expect: { ...staff('200/200'), installer: '200/403', customer: '403/403' } },
  'POST /tasks/{id}/complete': { path: (o) => `/tasks/${o.taskId}/complete`, body: {}, expect: { admin: '400/400', supervisor: '400/400', ops: '403/403', installer: '400/403', customer: '403/403' } },
  // The jobs list: the office's all; an installer's own and the open offers; customers follow cases.
  'GET /jobs': { path: (o) => `/jobs?siteId=${o.siteId}`, expect: { ...staff('200/200'), installer: '200/200', customer: '403/403' } },
  'GET /jobs/{id}': { path: (o) => `/jobs/${o.jobId}`, expect: { ...staff('200/200'), installer: '200/403', customer: '403/403' } },
  // Claiming your own job again is a no-op; someone else's is taken (offers go to all installers).
  'GET /projects/{id}/invoice-draft': { path: (o) => `/projects/${o.projectId}/invoice-draft`, expect: { ...staff('200/200'), installer: '403/403', customer: '403/403' } },
  'GET /projects/{id}/invoice-draft.pdf': { path: (o) => `/projects/${o.projectId}/invoice-draft.pdf`, expect: { ...staff('200/200'), installer: '403/403', customer: '403/403' } },
  'GET /jobs/{id}/card': { path: (o) => `/jobs/${o.jobId}/card`, expect: { ...staff('200/200'), installer: '200/403', customer: '403/403' } },
  'GET /jobs/{id}/messages': { path: (o) => `/jobs/${o.jobId}/messages`, expect: { ...staff('200/200'), installer: '200/403', customer: '403/403' } },
  // A case's thread: the office and the case's own customer; installers use their job's channel.
  'GET /projects/{id}/messages': { path: (o) => `/projects/${o.projectId}/messages`, expect: { ...staff('200/200'), installer: '403/403', customer: '200/403' } },
  'POST /projects/{id}/messages': { path: (o) => `/projects/${o.projectId}/messages`, body: {}, expect: { ...staff('400/400'), installer: '403/403', customer: '400/403' } },
  'POST /jobs/{id}/messages': { path: (o) => `/jobs/${o.jobId}/messages`, body: {}, expect: { ...staff('400/400'), installer: '400/403', customer: '403/403' } },
  'POST /jobs/{id}/claim': { path: (o) => `/jobs/${o.jobId}/claim`, expect: { ...staff('403/403'), installer: '200/409', customer: '403/403' } },
  'POST /jobs/{id}/assign': { path: (o) => `/jobs/${o.jobId}/assign`, body: {}, expect: { ...staff('400/400'), installer: '403/403', customer: '403/403' } },
  // The dispatch board is the office's: lanes of every installer, and booking.
  'GET /dispatch': { path: () => '/dispatch?from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z', expect: { ...staff('200/200'), installer: '403/403', customer: '403/403' } },
  'POST /jobs/{id}/schedule': { path: (o) => `/jobs/${o.jobId}/schedule`, body: {}, expect: { ...staff('400/400'), installer: '403/403', customer: '403/403' } },
  // The asset register: staff, the site's customer, installers with a job there.
  'GET /sites/{id}/assets': { path: (o) => `/sites/${o.siteId}/assets`, expect: { ...staff('200/200'), installer: '200/403', customer: '200/403' } },
  // Field work: staff and the job's own installer. Unknown trips and lines are 404 (after the policy said yes).
  // Maintenance plans: the office makes and changes them; the site's customer reads them.
  'GET /sites/{id}/plans': { path: (o) => `/sites/${o.siteId}/plans`, expect: { ...staff('200/200'), installer: '403/403', customer: '200/403' } },
  'POST /sites/{id}/plans': { path: (o) => `/sites/${o.siteId}/plans`, body: {}, expect: { ...staff('400/400'), installer: '403/403', customer: '403/403' } },
  'POST /plans/{id}/pause': { path: (o) => `/plans/${o.planId}/pause`, expect: { ...staff('200/200'), installer: '403/403', customer: '403/403' } },
  'POST /plans/{id}/resume': { path: (o) => `/plans/${o.planId}/resume`, expect: { ...staff('200/200'), installer: '403/403', customer: '403/403' } },
  'DELETE /plans/{id}': { path: () => '/plans/pln_nobody', expect: { ...staff('404/404'), installer: '403/403', customer: '403/403' } },
  // The office's reports span every customer: staff only.
  'GET /exports/articles.xlsx': { path: () => `/exports/articles.xlsx?from=2026-01-01&to=2026-12-31`, expect: { ...staff('200/200'), installer: '403/403', customer: '403/403' } },
  'GET /stats/cases': { path: (o) => `/stats/cases?by=status&customerId=${o.customerId}`, expect: { ...staff('200/200'), installer: '403/403', customer: '403/403' } },
  'GET /stats/lead-times': { path: (o) => `/stats/lead-times?customerId=${o.customerId}`, expect: { ...staff('200/200'), installer: '403/403', customer: '403/403' } },
  'GET /articles': { path: () => '/articles', expect: { ...staff('200/200'), installer: '200/200', customer: '403/403' } },
  'POST /articles': { path: () => '/articles', body: {}, expect: { admin: '400/400', supervisor: '403/403', ops: '403/403', installer: '403/403', customer: '403/403' } },
  'PATCH /articles/{id}': { path: () => '/articles/art_mc4_pair', body: { priceCents: -1 }, expect: { admin: '400/400', supervisor: '403/403', ops: '403/403', installer: '403/403', customer: '403/403' } },
  'GET /jobs/{id}/trips': { path: (o) => `/jobs/${o.jobId}/trips`, expect: { ...staff('200/200'), installer: '200/403', customer: '403/403' } },
  'POST /jobs/{id}/trips': { path: (o) => `/jobs/${o.jobId}/trips`, body: {}, expect: { ...staff('400/400'), installer: '400/403', customer: '403/403' } },
  'PATCH /jobs/{id}/trips/{tripId}': { path: (o) => `/jobs/${o.jobId}/trips/nope`, body: { distanceKm: -1 }, expect: { ...staff('400/400'), installer: '400/403', customer: '403/403' } },
  'POST /jobs/{id}/trips/{tripId}/start': { path: (o) => `/jobs/${o.jobId}/trips/nope/start`, expect: { ...staff('404/404'), installer: '404/403', customer: '403/403' } },
  'POST /jobs/{id}/trips/{tripId}/arrive': { path: (o) => `/jobs/${o.jobId}/trips/nope/arrive`, expect: { ...staff('404/404'), installer: '404/403', customer: '403/403' } },
  'POST /jobs/{id}/trips/{tripId}/finish': { path: (o) => `/jobs/${o.jobId}/trips/nope/finish`, expect: { ...staff('404/404'), installer: '404/403', customer: '403/403' } },
  'GET /jobs/{id}/protocol': { path: (o) => `/jobs/${o.jobId}/protocol`, expect: { ...staff('200/200'), installer: '200/403', customer: '403/403' } },
  'PATCH /jobs/{id}/protocol': { path: (o) => `/jobs/${o.jobId}/protocol`, body: {}, expect: { ...staff('400/400'), installer: '400/403', customer: '403/403' } },
  'POST /jobs/{id}/protocol/materials': { path: (o) => `/jobs/${o.jobId}/protocol/materials`, body: {}, expect: { ...staff('400/400'), installer: '400/403', customer: '403/403' } },
  'DELETE /jobs/{id}/protocol/materials/{lineId}': { path: (o) => `/jobs/${o.jobId}/protocol/materials/nope`, expect: { ...staff('404/404'), installer: '404/403', customer: '403/403' } },
  'POST /jobs/{id}/protocol/work': { path: (o) => `/jobs/${o.jobId}/protocol/work`, body: {}, expect: { ...staff('400/400'), installer: '400/403', customer: '403/403' } },
  'DELETE /jobs/{id}/protocol/work/{lineId}': { path: (o) => `/jobs/${o.jobId}/protocol/work/nope`, expect: { ...staff('404/404'), installer: '404/403', customer: '403/403' } },
  'POST /jobs/{id}/protocol/attachments': { path: (o) => `/jobs/${o.jobId}/protocol/attachments`, body: {}, expect: { ...staff('400/400'), installer: '400/403', customer: '403/403' } },
  'DELETE /jobs/{id}/protocol/attachments/{documentId}': { path: (o) => `/jobs/${o.jobId}/protocol/attachments/nope`, expect: { ...staff('404/404'), installer: '404/403', customer: '403/403' } },
  'POST /jobs/{id}/confirmations': { path: (o) => `/jobs/${o.jobId}/confirmations`, body: {}, expect: { ...staff('400/400'), installer: '400/403', customer: '403/403' } },
  'GET /jobs/{id}/work-orders': { path: (o) => `/jobs/${o.jobId}/work-orders`, expect: { ...staff('200/200'), installer: '200/403', customer: '403/403' } },
  'GET /jobs/{id}/work-order.pdf': { path: (o) => `/jobs/${o.jobId}/work-order.pdf`, expect: { ...staff('200/200'), installer: '200/403', customer: '403/403' } },
  'POST /jobs/{id}/close': { path: (o) => `/jobs/${o.jobId}/close`, body: {}, expect: { ...staff('400/400'), installer: '400/403', customer: '403/403' } },
  // Installers get their checklist's form from the task; only admins edit templates.
  'GET /checklist-templates': { path: () => '/checklist-templates', expect: { ...staff('200/200'), installer: '403/403', customer: '403/403' } },
  'GET /checklist-templates/{taskType}': { path: () => '/checklist-templates/audit_checklist', expect: { ...staff('200/200'), installer: '403/403', customer: '403/403' } },
  'PUT /checklist-templates/{taskType}': { path: () => '/checklist-templates/audit_checklist', body: {}, expect: { admin: '400/400', supervisor: '403/403', ops: '403/403', installer: '403/403', customer: '403/403' } },
  'GET /users': { path: () => '/users', expect: { admin: '200/200', supervisor: '403/403', ops: '403/403', installer: '403/403', customer: '403/403' } },
  'POST /users': { path: () => '/users', body: {}, expect: { admin: '400/400', supervisor: '403/403', ops: '403/403', installer: '403/403', customer: '403/403' } },
  'POST /users/{id}/disable': { path: () => '/users/usr_nobody/disable', expect: { admin: '404/404', supervisor: '403/403', ops: '403/403', installer: '403/403', customer: '403/403' } },
  // Routing: the office reads the groups, admins keep groups and rules. Field work is never
  // claimed as a task (an installer takes the job's offer), so the audit checklist is 403 to all.
  'GET /groups': { path: () => '/groups', expect: { ...staff('200/200'), installer: '403/403', customer: '403/403' } },
  'POST /groups': { path: () => '/groups', body: {}, expect: { admin: '400/400', supervisor: '403/403', ops: '403/403', installer: '403/403', customer: '403/403' } },
  'PUT /groups/{id}': { path: () => '/groups/grp_nobody', body: {}, expect: { admin: '400/400', supervisor: '403/403', ops: '403/403', installer: '403/403', customer: '403/403' } },
  'DELETE /groups/{id}': { path: () => '/groups/grp_nobody', expect: { admin: '404/404', supervisor: '403/403', ops: '403/403', installer: '403/403', customer: '403/403' } },
  'GET /routing-rules': { path: () => '/routing-rules', expect: { admin: '200/200', supervisor: '403/403', ops: '403/403', installer: '403/403', customer: '403/403' } },
  'POST /routing-rules': { path: () => '/routing-rules', body: {}, expect: { admin: '400/400', supervisor: '403/403', ops: '403/403', installer: '403/403', customer: '403/403' } },
  'PATCH /routing-rules/{id}': { path: () => '/routing-rules/rul_nobody', body: { priority: -1 }, expect: { admin: '400/400', supervisor: '403/403', ops: '403/403', installer: '403/403', customer: '403/403' } },
  'DELETE /routing-rules/{id}': { path: () => '/routing-rules/rul_nobody', expect: { admin: '404/404', supervisor: '403/403', ops: '403/403', installer: '403/403', customer: '403/403' } },
  'POST /tasks/{id}/claim': { path: (o) => `/tasks/${o.taskId}/claim`, expect: { ...staff('403/403'), installer: '403/403', customer: '403/403' } },
  // Everyone has their own notifications (someone else's is unknown: 404); the overview is the supervisors'.
  'GET /notifications': { path: () => '/notifications', expect: { ...staff('200/200'), installer: '200/200', customer: '200/200' } },
  'POST /notifications/{id}/read': { path: () => '/notifications/nope/read', expect: { ...staff('404/404'), installer: '404/404', customer: '404/404' } },
  'POST /notifications/read-all': { path: () => '/notifications/read-all', body: { before: 'x' }, expect: { ...staff('400/400'), installer: '400/400', customer: '400/400' } },
  'GET /supervisor/overview': { path: () => '/supervisor/overview', expect: { admin: '200/200', supervisor: '200/200', ops: '403/403', installer: '403/403', customer: '403/403' } },
};

/** Routes that need no bearer token: they are tested in api.test.ts, security.test.ts, portal.test.ts and qr.test.ts. */
const PUBLIC = new Set(['GET /healthz', 'GET /readyz', 'POST /auth/login', 'POST /events/{source}', 'GET /invitations/{token}', 'POST /invitations/{token}/accept', 'GET /qr/{token}', 'POST /qr/{token}/cases']);

/** The actors: every role, and a second installer and customer whose objects are the other side. */
const ACTORS: { user: string; role: Role; side: 'a' | 'b' }[] = [
  { user: 'admin', role: 'admin', side: 'a' },
  { user: 'supervisor', role: 'supervisor', side: 'a' },
  { user: 'ops', role: 'ops', side: 'a' },
  { user: 'installer', role: 'installer', side: 'a' },
  { user: 'installer2', role: 'installer', side: 'b' },
  { user: 'customer', role: 'customer', side: 'a' },
  { user: 'customer2', role: 'customer', side: 'b' },
];

let sides: { a: Objects; b: Objects };

beforeAll(async () => {
  system = await startTestSystem();
  const [a, b] = await Promise.all([makeObjects('cus_demo', 'sit_demo', 'installer'), makeObjects('cus_demo2', 'sit_demo2', 'installer2')]);
  sides = { a, b };
});
afterAll(() => system?.stop());

async function send(user: string, route: string, row: Row, objects: Objects): Promise<{ status: number; text: string }> {
  const [method] = route.split(' ');
  const path = row.path(objects);
  const token = await api().login(`${user}@demo.test`);
  if (route === 'GET /stream') {
    const { ticket } = (await api().as(user).post('/stream/tickets')).body;
    const controller = new AbortController();
    const response = await fetch(`${api().baseUrl}${path}&ticket=${ticket}`, { signal: controller.signal });
    const text = response.status === 200 ? '' : await response.text();
    controller.abort();
    return { status: response.status, text };
  }
  const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
  let body: string | FormData | undefined;
  if (row.form) body = new FormData();
  else if (row.body !== undefined) {
    body = JSON.stringify(row.body);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(api().baseUrl + path, { method, headers, body });
  return { status: response.status, text: await response.text() };
}

test('every route of the OpenAPI document has a row in the table', async () => {
  const spec = (await api().request('GET', '/openapi.json')).body;
  const routes = Object.entries(spec.paths as Record<string, Record<string, unknown>>).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
  );
  const missing = routes.filter((route) => !TABLE[route] && !PUBLIC.has(route));
  expect(missing).toEqual([]);
  const stale = Object.keys(TABLE).filter((route) => !routes.includes(route));
  expect(stale).toEqual([]);
});

describe.each(ACTORS)('$user', ({ user, role, side }) => {
  test.each(Object.keys(TABLE))('%s', async (route) => {
    const row = TABLE[route];
    const own = sides[side];
    const foreign = sides[side === 'a' ? 'b' : 'a'];
    const [ownStatus, foreignStatus] = row.expect[role].split('/').map(Number);
    const answers = { own: await send(user, route, row, own), foreign: await send(user, route, row, foreign) };
    expect({ route, own: answers.own.status, foreign: answers.foreign.status }).toEqual({ route, own: ownStatus, foreign: foreignStatus });
    // Staff have no foreign objects. Everyone else never gets a byte of the other side's data.
    if (role === 'admin' || role === 'supervisor' || role === 'ops') return;
    const secrets = [foreign.projectId, foreign.title, foreign.customerId, foreign.siteId, foreign.jobId, foreign.taskId, foreign.documentId, foreign.planId];
    for (const answer of [answers.own, answers.foreign]) {
      for (const secret of secrets) expect({ route, leaked: answer.text.includes(`"${secret}"`) || answer.text.includes(secret + ' ') || answer.text.includes(`/${secret}`) }).toEqual({ route, leaked: false });
      expect(answer.text).not.toContain(foreign.title);
    }
  });
});

describe('projections', () => {
  test("a customer's view of their case has no assignees, payloads, workflow ids or timeline data", async () => {
    const project = (await api().as('customer').get(`/projects/${sides.a.projectId}`)).body;
    expect(project).toMatchObject({ id: sides.a.projectId, customerId: 'cus_demo', stage: 'servicing' });
    expect(project).not.toHaveProperty('workflowId');
    for (const task of project.openTasks) {
      expect(task).not.toHaveProperty('assignee');
      expect(task).not.toHaveProperty('payload');
    }
    for (const job of project.jobs) expect(job).not.toHaveProperty('installerId');
    const timeline = (await api().as('customer').get(`/projects/${sides.a.projectId}/timeline`)).body.items;
    expect(timeline.length).toBeGreaterThan(0);
    for (const entry of timeline) {
      expect(entry).not.toHaveProperty('data');
      expect(['project', 'stage', 'job']).toContain(entry.kind);
    }
    expect(JSON.stringify(timeline)).not.toContain('matrix'); // the service request's description
  });

  test("an installer's view shows their job and its field work, not the office's payloads", async () => {
    const project = (await api().as('installer').get(`/projects/${sides.a.projectId}`)).body;
    expect(project.jobs.map((job: { id: string }) => job.id)).toEqual([sides.a.jobId]);
    expect(project.openTasks.map((task: { id: string }) => task.id)).toEqual([sides.a.taskId]);
    const timeline = (await api().as('installer').get(`/projects/${sides.a.projectId}/timeline`)).body.items;
    for (const entry of timeline) {
      expect(entry.jobId).toBe(sides.a.jobId);
      expect(entry).not.toHaveProperty('data');
    }
    const staffTimeline = (await api().as('ops').get(`/projects/${sides.a.projectId}/timeline`)).body.items;
    expect(staffTimeline.some((entry: { data?: unknown }) => entry.data)).toBe(true);
  });

  test('the lists a customer and an installer may use hold only their own', async () => {
    const projects = (await api().as('customer2').get('/projects?limit=200')).body.items;
    expect(projects.map((project: { id: string }) => project.id)).toContain(sides.b.projectId);
    expect(projects.every((project: { customerId: string }) => project.customerId === 'cus_demo2')).toBe(true);
    expectForbidden(await api().as('customer2').get('/projects?customerId=cus_demo'));
    const tasks = (await api().as('installer2').get('/tasks?limit=200')).body.items;
    expect(tasks.map((task: { id: string }) => task.id)).toContain(sides.b.taskId);
    expect(tasks.every((task: { projectId: string }) => task.projectId !== sides.a.projectId)).toBe(true);
  });
});

const expectForbidden = (answer: { status: number }) => expect(answer.status).toBe(403);
