// Walking projects through the API the way people do: find the open task of a type,
// complete it as a role. Used by the tests and by the history recorder.
import { createHmac, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { exampleAnswers, needsDocument, TINY_PNG } from './checklists';
import type { Api, Answer } from './http';

export class UnexpectedAnswer extends Error {
  constructor(what: string, readonly answer: Answer) {
    super(`${what}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  }
}

const expectStatus = (what: string, answer: Answer, status: number) => {
  if (answer.status !== status) throw new UnexpectedAnswer(what, answer);
  return answer;
};

export class Flow {
  constructor(
    readonly api: Api,
    readonly projectId: string,
  ) {}

  static async create(api: Api, title = 'Inverter fault', customerId = 'cus_demo', siteId = 'sit_demo'): Promise<Flow> {
    const answer = await api.as('ops').post('/projects', { kind: 'service', customerId, siteId, title });
    expectStatus('create project', answer, 201);
    return new Flow(api, answer.body.id);
  }

  async project(): Promise<any> {
    return expectStatus('get project', await this.api.as('admin').get(`/projects/${this.projectId}`), 200).body;
  }

  /**
   * The open task of this type. The read model may be a moment behind the workflow (a write
   * retried while the database was away), so a client looks again for a while.
   */
  async openTask(type: string, withinMs = 30_000): Promise<any> {
    const deadline = Date.now() + withinMs;
    for (;;) {
      const { openTasks } = await this.project();
      const task = openTasks.find((candidate: { type: string }) => candidate.type === type);
      if (task) return task;
      if (Date.now() > deadline) throw new Error(`no open ${type} task; open: ${openTasks.map((t: { type: string }) => t.type).join(', ') || 'none'}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /**
   * Completes the open task of this type; returns the API's answer (task and project). A
   * checklist sent without `answers` gets answers that fit its template (see `validAnswers`).
   */
  async complete(type: string, payload: Record<string, unknown> = {}, role = roleFor(type), headers?: Record<string, string>): Promise<any> {
    const task = await this.openTask(type);
    const body = INSTALLER_TASKS.has(type) && payload.answers === undefined ? { ...payload, answers: await this.validAnswers(task.id, role) } : payload;
    const answer = await this.api.as(role).post(`/tasks/${task.id}/complete`, body, headers);
    return expectStatus(`complete ${type}`, answer, 200).body;
  }

  /** The minimal protocol a field step needs before it may finish: a work line and one photo. */
  async fillProtocol(role = 'installer'): Promise<void> {
    // The job as the read model has it once it shows the installer (uploads are checked against it).
    const deadline = Date.now() + 30_000;
    let job: { id: string; installerId?: string } | undefined;
    for (;;) {
      const { jobs } = await this.project();
      job = jobs.filter((candidate: { status: string }) => candidate.status !== 'done').at(-1);
      if ((job && job.installerId) || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (!job) throw new Error('no running job to fill a protocol for');
    const photo = await this.uploadImage('site.png', role);
    await this.keyed('work line', role, `/jobs/${job.id}/protocol/work`, { description: 'Fault found and fixed', minutes: 45 }, 201);
    await this.keyed('photo', role, `/jobs/${job.id}/protocol/attachments`, { documentId: photo.id, kind: 'after' }, 201);
  }

  /** A keyed change, retried with the same key while the API says 503 (as a phone would). */
  private async keyed(what: string, role: string, path: string, body: unknown, status: number): Promise<any> {
    const headers = { 'Idempotency-Key': randomUUID() };
    for (let attempt = 1; ; attempt++) {
      const answer = await this.api.as(role).post(path, body, headers);
      if (answer.status === 503 && attempt < 30) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      }
      return expectStatus(what, answer, status).body;
    }
  }

  async uploadImage(name: string, role = 'installer', bytes: Buffer = TINY_PNG): Promise<any> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), name);
    const token = await this.api.login(`${role}@demo.test`);
    const answer = await this.api.request('POST', `/projects/${this.projectId}/documents`, { raw: form, headers: { Authorization: `Bearer ${token}` } });
    return expectStatus('upload image', answer, 201).body;
  }

  /** Answers that fit the task's own template version, read from its schema; photos and signatures name a PNG uploaded as `role`. */
  async validAnswers(taskId: string, role = 'installer'): Promise<Record<string, unknown>> {
    const task = expectStatus('get task', await this.api.as(role).get(`/tasks/${taskId}`), 200).body;
    const answers = task.schema?.properties?.answers;
    const png = needsDocument(answers) ? await this.uploadFile('photo.png', TINY_PNG, 'image/png', role) : undefined;
    return exampleAnswers(answers, png?.id);
  }

  async uploadDocument(name: string, content: string, role = 'ops'): Promise<any> {
    return this.uploadFile(name, content, 'application/pdf', role);
  }

  async uploadFile(name: string, content: string | Uint8Array, type: string, role = 'ops'): Promise<any> {
    const form = new FormData();
    form.append('file', new Blob([typeof content === 'string' ? content : new Uint8Array(content)], { type }), name);
    const token = await this.api.login(`${role}@demo.test`);
    const answer = await this.api.request('POST', `/projects/${this.projectId}/documents`, { raw: form, headers: { Authorization: `Bearer ${token}` } });
    return expectStatus('upload document', answer, 201).body;
  }

  /** Sends a manufacturer outcome signed with Standard Webhooks (`headers` override the signed ones; `id` resends a delivery). */
  async sendManufacturerEvent(secret: string, event: Record<string, unknown>, headers: Record<string, string> = {}, id?: string): Promise<Answer> {
    const raw = JSON.stringify({ type: 'manufacturer.outcome', projectId: this.projectId, ...event });
    return this.api.request('POST', '/events/manufacturer', { raw, headers: { 'content-type': 'application/json', ...webhookHeaders(secret, raw, id ? { id } : {}), ...headers } });
  }

  /** One whole audit job, from confirmation to its review. */
  async auditJob(outcome: 'completed' | 'failed' = 'completed', updateRegister = false): Promise<any> {
    await this.complete('confirm_job', { note: 'customer called, go ahead' });
    await this.complete('accept_schedule_job', { scheduledStart: '2026-12-01T09:00:00+10:30' }, 'installer');
    await this.fillProtocol();
    await this.complete('audit_checklist', {}, 'installer');
    await this.complete('review_audit_artefacts', { assetRegisterUpdateNeeded: updateRegister });
    if (updateRegister) await this.complete('update_asset_register', { assets: [{ make: 'Fronius', model: 'Primo 5.0', serial: 'FR-1001' }] });
    return this.complete('audit_review', { outcome });
  }

  /** One whole replacement job, documents included. */
  async replacementJob(): Promise<any> {
    await this.complete('confirm_job');
    await this.complete('accept_schedule_job', { scheduledStart: '2026-12-02T08:00:00+10:30' }, 'installer');
    await this.fillProtocol();
    await this.complete('pre_start_checklist', {}, 'installer');
    await this.complete('testing_commissioning', {}, 'installer');
    await this.complete('review_replacement_artefacts', { note: 'photos fine' });
    await this.complete('update_asset_serials', { assets: [{ make: 'Fronius', model: 'Primo 5.0', serial: 'FR-2002' }] });
    const document = await this.uploadDocument('certificate-of-compliance.pdf', '%PDF-1.4 compliance certificate');
    return this.complete('upload_regulatory_documents', { documentIds: [document.id] });
  }
}

/** A 1×1 PNG: the smallest photo a protocol takes. */
export { TINY_PNG };

/** The older X-Signature (embedded mode only). */
export const sign = (secret: string, raw: string) => `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;

/** Standard Webhooks headers for a delivery (a fresh id and now, unless given). */
export function webhookHeaders(secret: string, raw: string, { id = `msg_${randomUUID()}`, at = new Date() }: { id?: string; at?: Date } = {}): Record<string, string> {
  return { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign(id, at, raw) };
}

const INSTALLER_TASKS = new Set([
  'audit_checklist',
  'pre_start_checklist',
  'testing_commissioning',
  'inspection_checklist',
  'pre_installation_checklist',
  'roof_works',
  'system_installation',
  'commissioning_sheet',
]);
export const roleFor = (type: string) => (INSTALLER_TASKS.has(type) ? 'installer' : 'ops');
