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

export class ProductClient {
  private tokens: Record<string, string> = {};

  constructor(readonly baseUrl: string) {}

  async login(): Promise<void> {
    for (const role of ['ops', 'installer']) {
      const answer = await this.send('POST', '/auth/login', undefined, { email: `${role}@demo.test`, password: 'demo' });
      this.tokens[role] = answer.token;
    }
  }

  async send(method: string, path: string, role: string | undefined, body?: unknown): Promise<any> {
    const response = await fetch(this.baseUrl + path, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(role ? { authorization: `Bearer ${this.tokens[role]}` } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
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
}
