// Walking sales projects through the API the way the office and the installers do, with
// the design tool's events signed as its webhooks are. Used by the sales tests and the
// history recorder.
import { randomUUID } from 'node:crypto';
import { Flow, webhookHeaders } from './flows';
import type { Answer, Api } from './http';

export const PAYLOADS = {
  onboard_site: { phases: 3, nmi: '2001985732', roof: 'tin', distributor: 'SA Power Networks' },
  // Checklists without answers get answers that fit their template (Flow.complete).
  inspection_checklist: {},
  pre_installation_checklist: {},
  roof_works: {},
  commissioning_sheet: {},
};

export class SalesFlow extends Flow {
  /** A sales project on a site of its own (one active sales project per site). */
  static async createSales(api: Api, title = 'New 6.6 kW system'): Promise<SalesFlow> {
    const customer = await api.as('ops').post('/customers', { name: `Sales customer ${randomUUID().slice(0, 8)}` });
    if (customer.status !== 201) throw new Error(`customer: ${customer.status} ${JSON.stringify(customer.body)}`);
    const site = await api.as('ops').post(`/customers/${customer.body.id}/sites`, { address: '12 Solar Street, Adelaide SA 5000', phases: 3 });
    if (site.status !== 201) throw new Error(`site: ${site.status} ${JSON.stringify(site.body)}`);
    const created = await api.as('ops').post('/projects', { kind: 'sales', customerId: customer.body.id, siteId: site.body.id, title });
    if (created.status !== 201) throw new Error(`sales project: ${created.status} ${JSON.stringify(created.body)}`);
    const flow = new SalesFlow(api, created.body.id);
    flow.siteId = site.body.id;
    flow.customerId = customer.body.id;
    return flow;
  }

  siteId = '';
  customerId = '';

  async sendDesignEvent(secret: string, type: 'proposal.sent' | 'proposal.signed' | 'deposit.paid', extra: Record<string, unknown> = {}, id?: string): Promise<Answer> {
    const raw = JSON.stringify({ type, projectId: this.projectId, ...extra });
    return this.api.request('POST', '/events/design', { raw, headers: { 'content-type': 'application/json', ...webhookHeaders(secret, raw, id ? { id } : {}) } });
  }

  /** Waits until the read model shows what `check` wants (events and outside calls are asynchronous). */
  async until(what: string, check: (project: any) => boolean, timeoutMs = 20_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const project = await this.project();
      if (check(project)) return project;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; stage ${project.stage}, open ${project.openTasks.map((t: { type: string }) => t.type).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }

  async untilOpen(type: string): Promise<any> {
    return this.until(`an open ${type}`, (project) => project.openTasks.some((task: { type: string }) => task.type === type));
  }

  async inspection(review: Record<string, unknown>): Promise<any> {
    await this.untilOpen('start_job');
    await this.complete('start_job', { note: 'ladder access at the side gate' });
    await this.complete('accept_schedule_job', { scheduledStart: '2026-12-03T09:00:00+10:30' }, 'installer');
    await this.fillProtocol();
    await this.complete('inspection_checklist', PAYLOADS.inspection_checklist);
    return this.complete('review_inspection_report', review);
  }

  /** An installation job: the preparation (first visit only), the installer's reports, the review. */
  async installation(review: Record<string, unknown>, { rework = false, serial = 'SE-7000-1' }: { rework?: boolean; serial?: string | null } = {}): Promise<any> {
    if (!rework) {
      await this.untilOpen('lodge_application_to_connect');
      const permission = await this.uploadDocument('permission-to-connect.pdf', '%PDF-1.4 permission to connect');
      await this.complete('start_job');
      await this.complete('lodge_application_to_connect');
      await this.complete('upload_permission_to_connect', { documentIds: [permission.id] });
      await this.complete('setup_stc_site');
      await this.complete('send_supplier_order', { note: 'PO 4411' });
    } else {
      await this.untilOpen('accept_schedule_job');
    }
    await this.complete('accept_schedule_job', { scheduledStart: '2026-12-10T08:00:00+10:30' }, 'installer');
    await this.fillProtocol();
    await this.complete('pre_installation_checklist', PAYLOADS.pre_installation_checklist);
    await this.complete('roof_works', PAYLOADS.roof_works);
    const asset = { make: 'SolarEdge', model: 'SE7K', ...(serial ? { serial } : {}) };
    await this.complete('system_installation', { assets: [asset] });
    await this.complete('commissioning_sheet', PAYLOADS.commissioning_sheet);
    return this.complete('review_installation_reports', review);
  }
}
