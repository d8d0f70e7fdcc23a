// A lean HTTP client for the driver: the same requests a person's browser makes, and
// nothing more. Each answer carries the project view with its open tasks, so the next
// task is found without another request.
import { performance } from 'node:perf_hooks';
import { answersSchema } from '../api/checklists/items';
import { SHIPPED_TEMPLATES } from '../api/checklists/shipped';
import { exampleAnswers, TINY_PNG } from '../test/support/checklists';

interface TaskRef {
  id: string;
  type: string;
}
interface ProjectView {
  id: string;
  stage: string;
  openTasks: TaskRef[];
}

export type Record_ = (ms: number) => void;
/** Latency of one action of a lifecycle, by its name (a task type or a design-tool event). */
export type RecordAction = (action: string, ms: number) => void;

/** Stands for the id of the document the lifecycle uploads to its project. */
export const DOCUMENT = '$document';
export interface SalesTask {
  type: string;
  role: 'ops' | 'installer';
  payload: Record<string, unknown>;
}
const ops = (type: string, payload: Record<string, unknown> = {}): SalesTask => ({ type, role: 'ops', payload });
const field = (type: string, payload: Record<string, unknown>): SalesTask => ({ type, role: 'installer', payload });

/**
 * The sales lifecycle the bench walks (PRODUCT.md's sales table, happy path), the one
 * place its task payloads live: the floor's job chains are the step sizes below
 * (bench/floor/client.ts). Field work changes checklists and adds protocol steps: adjust
 * here, in the order the product's chains open them (workflows/jobs/chains.ts).
 */
export const SALES = {
  /** The office onboards the site and links the design project; the design tool's events follow. */
  onboarding: [
    ops('onboard_site', { phases: 3, nmi: '2001985732', roof: 'tin', distributor: 'SA Power Networks' }),
    ops('link_design_project'),
  ],
  /** The proposal the customer is sent, signs and pays a deposit on (amount in cents). */
  proposal: { title: '6.6 kW, 20 panels', amount: 990_000, currency: 'AUD' },
  /** The inspection job: its steps in order (a step's tasks open together); the last one is the review. */
  inspection: [
    [ops('start_job', { note: 'ladder access at the side gate' })],
    [field('accept_schedule_job', { scheduledStart: '2026-12-03T09:00:00+10:30' })],
    [field('inspection_checklist', { answers: { roof_condition: 'good', switchboard: 'ok', shading: 'none' } })],
    [ops('review_inspection_report', { outcome: 'pass' })],
  ],
  startInstallation: ops('start_installation'),
  /** The installation job's first visit: the preparation, the installer's reports, the review. */
  installation: [
    [
      ops('start_job'),
      ops('lodge_application_to_connect'),
      ops('upload_permission_to_connect', { documentIds: [DOCUMENT] }),
      field('accept_schedule_job', { scheduledStart: '2026-12-10T08:00:00+10:30' }),
      ops('setup_stc_site'),
      ops('send_supplier_order', { note: 'PO 4411' }),
    ],
    [
      field('pre_installation_checklist', { answers: { swms_signed: true, isolation: 'done' } }),
      field('roof_works', { answers: { rails: 'fixed', panels: 20 } }),
      field('system_installation', { answers: { inverter_mounted: true }, assets: [{ make: 'SolarEdge', model: 'SE7K', serial: 'SE-7000-1' }] }),
      field('commissioning_sheet', { answers: { insulation_resistance_mohm: 600, export_limit_kw: 5 } }),
    ],
    [ops('review_installation_reports', { outcome: 'approve' })],
  ],
  /** After the approval (no quote update, every serial known): the close-out, in order. */
  closing: [ops('upload_compliance_documents', { documentIds: [DOCUMENT] }), ops('invoice_customer'), ops('confirm_payment')],
};
/** How often a waiting lifecycle looks again (the read model here, the workflow's last write in the floor). */
export const POLL_MS = 25;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ProductClient {
  private tokens: Record<string, string> = {};

  private salesCustomer?: Promise<string>;
  designToolUrl = '';
  /** Reads made while waiting (GET /projects/:id or its timeline), for the sales phase's notes. */
  polls = 0;

  constructor(readonly baseUrl: string) {}

  async login(): Promise<void> {
    for (const role of ['ops', 'installer']) {
      const answer = await this.send('POST', '/auth/login', undefined, { email: `${role}@demo.test`, password: 'demo' });
      this.tokens[role] = answer.token;
    }
  }

  async send(method: string, path: string, role: string | undefined, body?: unknown): Promise<any> {
    const form = body instanceof FormData;
    const response = await fetch(this.baseUrl + path, {
      method,
      headers: {
        ...(body !== undefined && !form ? { 'content-type': 'application/json' } : {}),
        ...(role ? { authorization: `Bearer ${this.tokens[role]}` } : {}),
      },
      body: form ? body : body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
    return JSON.parse(text);
  }

  async uploadPng(projectId: string): Promise<string> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(TINY_PNG)], { type: 'image/png' }), 'inverter.png');
    const response = await fetch(`${this.baseUrl}/projects/${projectId}/documents`, { method: 'POST', headers: { authorization: `Bearer ${this.tokens.installer}` }, body: form });
    if (response.status !== 201) throw new Error(`upload: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`);
    return ((await response.json()) as { id: string }).id;
  }

  createProject(title: string): Promise<ProjectView> {
    return this.send('POST', '/projects', 'ops', { kind: 'service', customerId: 'cus_demo', siteId: 'sit_demo', title });
  }

  /** POST /tasks/:id/complete for the open task of that type; `record` gets its latency. */
  async complete(view: ProjectView, type: string, payload: Record<string, unknown>, role = 'ops', record?: Record_): Promise<ProjectView> {
    const task = view.openTasks.find((candidate) => candidate.type === type);
    if (!task) throw new Error(`project ${view.id} has no open ${type} task (open: ${view.openTasks.map((t) => t.type).join(', ')})`);
    const started = performance.now();
    const answer = await this.send('POST', `/tasks/${task.id}/complete`, role, payload);
    record?.(performance.now() - started);
    return answer.project;
  }

  /** One audit job from confirmation to its review; ends with the project in reviewing. */
  async auditJob(view: ProjectView, record?: Record_): Promise<ProjectView> {
    view = await this.complete(view, 'confirm_job', { note: 'customer confirmed access' }, 'ops', record);
    view = await this.complete(view, 'accept_schedule_job', { scheduledStart: '2026-12-01T09:00:00+10:30' }, 'installer', record);
    // The audit checklist's template asks for an inverter photo: the phone uploads it first.
    const photo = await this.uploadPng(view.id);
    view = await this.complete(view, 'audit_checklist', { answers: exampleAnswers(answersSchema(SHIPPED_TEMPLATES.audit_checklist.items) as never, photo) }, 'installer', record);
    view = await this.complete(view, 'review_audit_artefacts', { assetRegisterUpdateNeeded: false }, 'ops', record);
    return this.complete(view, 'audit_review', { outcome: 'completed' }, 'ops', record);
  }

  /** P1's path: request -> manufacturer -> audit job -> review -> resolved. 1 create + 8 completions. */
  async serviceProject(record?: Record_): Promise<string> {
    let view = await this.createProject('Inverter shows E21');
    view = await this.complete(view, 'service_request', { description: 'Inverter shows E21', resolution: 'manufacturer' }, 'ops', record);
    view = await this.complete(view, 'manufacturer_outcome', { outcome: 'site_visit_required', jobType: 'audit' }, 'ops', record);
    view = await this.auditJob(view, record);
    view = await this.complete(view, 'service_review', { outcome: 'resolved' }, 'ops', record);
    if (view.stage !== 'closed') throw new Error(`project ${view.id} ended in ${view.stage}`);
    return view.id;
  }

  /** P3: a project parked mid-lifecycle, in investigating with an internal review open. */
  async parkedProject(): Promise<string> {
    const view = await this.createProject('Low yield');
    await this.complete(view, 'service_request', { description: 'Low yield', resolution: 'internal' });
    return view.id;
  }

  // --- the sales lifecycle ------------------------------------------------------------

  /** A call to the design tool stand-in's controls (what a person presses on its page). */
  private async control(path: string, body: Record<string, unknown> = {}): Promise<any> {
    const response = await fetch(this.designToolUrl + path, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
    const text = await response.text();
    if (!response.ok) throw new Error(`design tool ${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
    return JSON.parse(text);
  }

  /** A design-tool event through the stand-in: it answers after its webhook reached Fieldflow. */
  private async designEvent(path: string, action: string, record?: RecordAction): Promise<void> {
    const started = performance.now();
    const { delivery } = await this.control(path);
    record?.(action, performance.now() - started);
    if (delivery?.status !== 'delivered') throw new Error(`design tool ${path}: webhook ${delivery?.status}: ${JSON.stringify(delivery?.attempts ?? []).slice(0, 300)}`);
  }

  private async until<T>(what: string, read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      this.polls++;
      const value = await read();
      if (check(value)) return value;
      if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await pause(POLL_MS);
    }
  }

  private async doTasks(view: ProjectView, tasks: SalesTask[], documentId: string, record?: RecordAction): Promise<ProjectView> {
    for (const task of tasks) {
      const payload = JSON.parse(JSON.stringify(task.payload).replaceAll(JSON.stringify(DOCUMENT), JSON.stringify(documentId)));
      view = await this.complete(view, task.type, payload, task.role, record && ((ms) => record(task.type, ms)));
    }
    return view;
  }

  /** A new site of the bench's sales customer: one active sales project per site. */
  private async salesSite(): Promise<{ customerId: string; siteId: string }> {
    this.salesCustomer ??= this.send('POST', '/customers', 'ops', { name: 'Bench sales customer' }).then((customer) => customer.id as string);
    const customerId = await this.salesCustomer;
    const site = await this.send('POST', `/customers/${customerId}/sites`, 'ops', { address: '12 Solar Street, Adelaide SA 5000', phases: 3 });
    return { customerId, siteId: site.id };
  }

  /**
   * One sales lifecycle (SALES), from POST /projects to `completed`, with the design
   * tool's events pressed at its stand-in. After each event it waits, as a person would,
   * until the project shows its effect; the floor waits for the same writes.
   */
  async salesProject(record?: RecordAction): Promise<string> {
    const { customerId, siteId } = await this.salesSite();
    let view: ProjectView = await this.send('POST', '/projects', 'ops', { kind: 'sales', customerId, siteId, title: 'Rooftop 6.6 kW' });
    const form = new FormData();
    form.append('file', new Blob(['%PDF-1.4 bench document'], { type: 'application/pdf' }), 'compliance.pdf');
    const document = await this.send('POST', `/projects/${view.id}/documents`, 'ops', form);
    view = await this.doTasks(view, SALES.onboarding, document.id, record);
    const timeline = () => this.send('GET', `/projects/${view.id}/timeline?limit=100`, 'ops').then((answer) => answer.items as { summary: string; data?: Record<string, unknown> }[]);
    const linked = (await this.until('the linked design project', timeline, (items) => items.some((item) => item.summary.startsWith('Linked design project')))).find((item) =>
      item.summary.startsWith('Linked design project'),
    )!;
    const designProjectId = String(linked.data?.designProjectId ?? linked.summary.split(' ').at(-1));
    const { proposal } = await this.control(`/_control/projects/${designProjectId}/proposals`, SALES.proposal);
    const project = () => this.send('GET', `/projects/${view.id}`, 'ops') as Promise<ProjectView>;
    await this.designEvent(`/_control/proposals/${proposal.id}/send`, 'proposal.sent', record);
    await this.until('considering', project, (p) => p.stage === 'considering');
    await this.designEvent(`/_control/proposals/${proposal.id}/sign`, 'proposal.signed', record);
    await this.until('the signed proposal synced', timeline, (items) => items.some((item) => /^Synced \d+ proposal/.test(item.summary)));
    await this.designEvent(`/_control/projects/${designProjectId}/deposit`, 'deposit.paid', record);
    view = await this.until('the inspection job', project, (p) => p.openTasks.some((task) => task.type === SALES.inspection[0][0].type));
    for (const step of SALES.inspection) view = await this.doTasks(view, step, document.id, record);
    view = await this.doTasks(view, [SALES.startInstallation], document.id, record);
    for (const step of SALES.installation) view = await this.doTasks(view, step, document.id, record);
    view = await this.doTasks(view, SALES.closing, document.id, record);
    if (view.stage !== 'completed') throw new Error(`sales project ${view.id} ended in ${view.stage}`);
    return view.id;
  }
}
