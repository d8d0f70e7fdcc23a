// A lean HTTP client for the driver: the same requests a person's browser makes, and
// nothing more. Each answer carries the project view with its open tasks, so the next
// task is found without another request.
import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { exampleAnswers, needsDocument, TINY_PNG } from '../test/support/checklists';

interface TaskRef {
  id: string;
  type: string;
  jobId?: string;
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
/** Stands for a checklist's answers, built from its template (`GET /tasks/:id`) when it is done. */
export const FROM_TEMPLATE = '$template';
/** Stands for the appointment: a week after the job is scheduled, so the field tasks' due time never comes during a run. */
export const APPOINTMENT = '$appointment';
export const appointment = () => new Date(Date.now() + 7 * 86_400_000).toISOString();
/**
 * The minimal protocol an installer records before the field step may finish (one work
 * line, one photo attachment): each an update on the job's workflow.
 */
export const PROTOCOL = { work: { description: 'Fault found and fixed', minutes: 45 }, attachmentKind: 'after' as const };
export interface SalesTask {
  type: string;
  role: 'ops' | 'installer';
  payload: Record<string, unknown>;
}
const ops = (type: string, payload: Record<string, unknown> = {}): SalesTask => ({ type, role: 'ops', payload });
const field = (type: string, payload: Record<string, unknown>): SalesTask => ({ type, role: 'installer', payload });

/** The step of a job's chain with the installer's checklists: the protocol is filled before it. */
export const fieldStep = (steps: SalesTask[][]): number => steps.findIndex((step) => step.some((task) => task.payload.answers === FROM_TEMPLATE));

/**
 * The service project's audit job (P1, P2, P4): its tasks in chain order
 * (workflows/jobs/chains.ts), one per step; the floor's audit job is these steps.
 */
export const AUDIT: SalesTask[][] = [
  [ops('confirm_job', { note: 'customer confirmed access' })],
  [field('accept_schedule_job', { scheduledStart: APPOINTMENT })],
  [field('audit_checklist', { answers: FROM_TEMPLATE })],
  [ops('review_audit_artefacts', { assetRegisterUpdateNeeded: false })],
  [ops('audit_review', { outcome: 'completed' })],
];

/**
 * The sales lifecycle the bench walks (PRODUCT.md's sales table, happy path), the one
 * place its task payloads live: the floor's job chains are the step sizes below
 * (bench/floor/client.ts), its field step the one with checklists, its work order made
 * at the confirming task (`CONFIRMING` in bench/floor/runtime.ts). Adjust here, in the
 * order the product's chains open them (workflows/jobs/chains.ts).
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
    [field('accept_schedule_job', { scheduledStart: APPOINTMENT })],
    [field('inspection_checklist', { answers: FROM_TEMPLATE })],
    [ops('review_inspection_report', { outcome: 'pass' })],
  ],
  startInstallation: ops('start_installation'),
  /** The installation job's first visit: the preparation, the installer's reports, the review. */
  installation: [
    [
      ops('start_job'),
      ops('lodge_application_to_connect'),
      ops('upload_permission_to_connect', { documentIds: [DOCUMENT] }),
      field('accept_schedule_job', { scheduledStart: APPOINTMENT }),
      ops('setup_stc_site'),
      ops('send_supplier_order', { note: 'PO 4411' }),
    ],
    [
      field('pre_installation_checklist', { answers: FROM_TEMPLATE }),
      field('roof_works', { answers: FROM_TEMPLATE }),
      field('system_installation', { answers: FROM_TEMPLATE, assets: [{ make: 'SolarEdge', model: 'SE7K', serial: 'SE-7000-1' }] }),
      field('commissioning_sheet', { answers: FROM_TEMPLATE }),
    ],
    [ops('review_installation_reports', { outcome: 'approve' })],
  ],
  /** After the approval (no quote update, every serial known): the close-out, in order. */
  closing: [ops('upload_compliance_documents', { documentIds: [DOCUMENT] }), ops('invoice_customer'), ops('confirm_payment')],
};
/**
 * The installers the bench's lifecycles share, one after another: each job's field work
 * is done by one of them (accepting it, uploading its photos, the protocol), as many
 * phones in the field. One account would meet the API's upload limit (60 a minute per
 * user) within seconds.
 */
export const INSTALLERS = 24;
/** How often a waiting lifecycle looks again (the read model here, the workflow's last write in the floor). */
export const POLL_MS = 25;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ProductClient {
  private tokens: Record<string, string> = {};
  private installerSeq = 0;

  private salesCustomer?: Promise<string>;
  designToolUrl = '';
  /** Reads made while waiting (GET /projects/:id or its timeline), for the sales phase's notes. */
  polls = 0;

  constructor(readonly baseUrl: string) {}

  async login(): Promise<void> {
    for (const role of ['ops', 'admin']) {
      const answer = await this.send('POST', '/auth/login', undefined, { email: `${role}@demo.test`, password: 'demo' });
      this.tokens[role] = answer.token;
    }
    // The bench's installers: made by the admin the first time (a database may be reused).
    for (let n = 1; n <= INSTALLERS; n++) {
      const account = { email: `bench-installer-${n}@bench.test`, password: 'bench-installer-password' };
      const login = () => this.send('POST', '/auth/login', undefined, account);
      const answer = await login().catch(async () => {
        await this.send('POST', '/users', 'admin', { ...account, name: `Bench Installer ${n}`, role: 'installer' });
        return login();
      });
      this.tokens[`installer${n}`] = answer.token;
    }
  }

  /** The installer who takes the next job (a key of `tokens`). */
  private installer(): string {
    return `installer${(this.installerSeq++ % INSTALLERS) + 1}`;
  }

  async send(method: string, path: string, role: string | undefined, body?: unknown, headers: Record<string, string> = {}): Promise<any> {
    const form = body instanceof FormData;
    const response = await fetch(this.baseUrl + path, {
      method,
      headers: {
        ...(body !== undefined && !form ? { 'content-type': 'application/json' } : {}),
        ...(role ? { authorization: `Bearer ${this.tokens[role]}` } : {}),
        ...headers,
      },
      body: form ? body : body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
    return JSON.parse(text);
  }

  /** A photo from the installer's phone, uploaded to the project: its document id. */
  async uploadPng(projectId: string, installer: string, name = 'photo.png'): Promise<string> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(TINY_PNG)], { type: 'image/png' }), name);
    return (await this.send('POST', `/projects/${projectId}/documents`, installer, form)).id;
  }

  /** Answers that fit the checklist's own template version (its schema in `GET /tasks/:id`), with a photo uploaded when it asks for one. */
  async checklistAnswers(projectId: string, taskId: string, installer: string): Promise<Record<string, unknown>> {
    const task = await this.send('GET', `/tasks/${taskId}`, installer);
    const answers = task.schema?.properties?.answers;
    const photo = needsDocument(answers) ? await this.uploadPng(projectId, installer, `${task.type}.png`) : undefined;
    return exampleAnswers(answers, photo);
  }

  /**
   * The minimal protocol before the field step may finish, as the phone records it: a
   * work line, and a photo uploaded and attached; each change keyed by an Idempotency-Key.
   */
  async fillProtocol(projectId: string, jobId: string, installer: string, record?: RecordAction): Promise<void> {
    const keyed = async (path: string, body: unknown, action: string) => {
      const started = performance.now();
      await this.send('POST', path, installer, body, { 'idempotency-key': crypto.randomUUID() });
      record?.(action, performance.now() - started);
    };
    await keyed(`/jobs/${jobId}/protocol/work`, PROTOCOL.work, 'protocol work line');
    const photo = await this.uploadPng(projectId, installer, 'site.png');
    await keyed(`/jobs/${jobId}/protocol/attachments`, { documentId: photo, kind: PROTOCOL.attachmentKind }, 'protocol photo');
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

  /** One audit job from confirmation to its review (AUDIT); ends with the project in reviewing. */
  async auditJob(view: ProjectView, record?: Record_): Promise<ProjectView> {
    return this.doSteps(view, AUDIT, '', this.installer(), record && ((_action, ms) => record(ms)));
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

  /** Tasks in order; an installer's are done by `installer`. */
  private async doTasks(view: ProjectView, tasks: SalesTask[], documentId: string, installer: string, record?: RecordAction): Promise<ProjectView> {
    for (const task of tasks) {
      const open = view.openTasks.find((candidate) => candidate.type === task.type);
      const payload: Record<string, unknown> = JSON.parse(
        JSON.stringify(task.payload).replaceAll(JSON.stringify(DOCUMENT), JSON.stringify(documentId)).replaceAll(JSON.stringify(APPOINTMENT), JSON.stringify(appointment())),
      );
      if (payload.answers === FROM_TEMPLATE && open) payload.answers = await this.checklistAnswers(view.id, open.id, installer);
      view = await this.complete(view, task.type, payload, task.role === 'installer' ? installer : task.role, record && ((ms) => record(task.type, ms)));
    }
    return view;
  }

  /**
   * A job's steps in order; before its field step, the protocol (recorded as
   * `recordProtocol` says: the sales phase names those actions, P2 counts completions only).
   */
  private async doSteps(view: ProjectView, steps: SalesTask[][], documentId: string, installer: string, record?: RecordAction, recordProtocol?: RecordAction): Promise<ProjectView> {
    const fieldAt = fieldStep(steps);
    for (const [index, step] of steps.entries()) {
      if (index === fieldAt) {
        const jobId = view.openTasks.find((task) => task.type === step[0].type)?.jobId;
        if (!jobId) throw new Error(`project ${view.id}: no open ${step[0].type} task of a job`);
        await this.fillProtocol(view.id, jobId, installer, recordProtocol);
      }
      view = await this.doTasks(view, step, documentId, installer, record);
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
    const installer = this.installer();
    view = await this.doTasks(view, SALES.onboarding, document.id, installer, record);
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
    view = await this.doSteps(view, SALES.inspection, document.id, installer, record, record);
    view = await this.doTasks(view, [SALES.startInstallation], document.id, installer, record);
    view = await this.doSteps(view, SALES.installation, document.id, installer, record, record);
    view = await this.doTasks(view, SALES.closing, document.id, installer, record);
    if (view.stage !== 'completed') throw new Error(`sales project ${view.id} ended in ${view.stage}`);
    return view.id;
  }
}
