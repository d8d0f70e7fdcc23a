// Sales projects in the fault load: the design tool's stand-in runs in the test process (the
// worker calls it as it would call the real tool; it sends its signed webhooks to the API),
// and a sales project is walked from onboarding to completed the way the office, the
// installers and the customer (pressing the stand-in's buttons) do.
import { createDesignToolStandIn, type DesignToolStandIn } from '../../activities/design/stand-in';
import { SalesFlow } from '../support/sales-flows';
import type { RetryingApi } from './client';
import type { Driven } from './load';
import { WEBHOOK_SECRET_DESIGN } from './stack';

const API_KEY = 'faults-design-tool-key';

/**
 * A design-tool stand-in for one test file, started before its Fieldflow: pass `env` to
 * `fieldflowPerFile` (its worker gets DESIGN_TOOL_URL), then point `webhooksTo` at the API.
 */
export function designToolPerFile(): { env: Record<string, string>; standIn: () => DesignToolStandIn; webhooksTo: (apiUrl: string) => void } {
  const env: Record<string, string> = {};
  let standIn: DesignToolStandIn | undefined;
  beforeAll(async () => {
    // Quick redeliveries: a webhook the API could not take (it was busy or down) comes again soon.
    standIn = await createDesignToolStandIn({ webhookSecret: WEBHOOK_SECRET_DESIGN, apiKey: API_KEY, retryDelaysMs: [500, 1000, 2000, 5000, 10_000, 20_000, 30_000] });
    env.DESIGN_TOOL_URL = standIn.url;
    env.DESIGN_TOOL_API_KEY = API_KEY;
  });
  afterAll(() => standIn?.close());
  return {
    env,
    standIn: () => standIn!,
    webhooksTo: (apiUrl) => {
      standIn!.webhookUrl = `${apiUrl}/events/design`;
    },
  };
}

async function control(standIn: DesignToolStandIn, path: string): Promise<any> {
  const body = path.endsWith('/proposals') ? { title: '6.6 kW, 20 panels', amount: 990_000, currency: 'AUD' } : {};
  const response = await fetch(standIn.url + path, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`stand-in ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** One sales project from onboarding to completed: design, signature, deposit, inspection, installation, close-out. */
export async function driveSalesProject(api: RetryingApi, standIn: DesignToolStandIn, title: string): Promise<Driven> {
  const start = Date.now();
  const flow = await SalesFlow.createSales(api, title);
  const patience = 240_000;
  try {
    await flow.complete('onboard_site', { phases: 3, nmi: '2001985732', roof: 'tin', distributor: 'SA Power Networks' });
    await flow.complete('link_design_project');
    await flow.until('the design project linked', (project) => project.openTasks.some((task: { type: string }) => task.type === 'sync_design'), patience);
    const designProject = standIn.projects().find((project) => project.externalId === flow.projectId);
    if (!designProject) throw new Error('no design project in the stand-in');
    const { proposal } = await control(standIn, `/_control/projects/${designProject.id}/proposals`);
    await control(standIn, `/_control/proposals/${proposal.id}/send`);
    await flow.until('considering', (project) => project.stage === 'considering', patience);
    await control(standIn, `/_control/proposals/${proposal.id}/sign`);
    await flow.until('committing', (project) => project.stage === 'committing', patience);
    await control(standIn, `/_control/projects/${designProject.id}/deposit`);
    await flow.until('inspection', (project) => project.stage === 'inspection' && project.openTasks.some((task: { type: string }) => task.type === 'start_job'), patience);
    await flow.inspection({ outcome: 'pass' });
    await flow.until('start_installation', (project) => project.openTasks.some((task: { type: string }) => task.type === 'start_installation'), patience);
    await flow.complete('start_installation');
    await flow.until('lodge_application_to_connect', (project) => project.openTasks.some((task: { type: string }) => task.type === 'lodge_application_to_connect'), patience);
    await flow.installation({ outcome: 'approve' });
    await flow.until('upload_compliance_documents', (project) => project.openTasks.some((task: { type: string }) => task.type === 'upload_compliance_documents'), patience);
    const compliance = await flow.uploadDocument('certificate-of-compliance.pdf', '%PDF-1.4 ces');
    await flow.complete('upload_compliance_documents', { documentIds: [compliance.id] });
    await flow.complete('invoice_customer');
    await flow.complete('confirm_payment');
  } catch (err) {
    throw Object.assign(new Error(`${flow.projectId} (sales): ${(err as Error).message}`), { projectId: flow.projectId });
  }
  return { flow, ms: Date.now() - start, kind: 'sales' };
}

/**
 * What the design tool saw of these sales projects that it should not have: other than one
 * design project each (the tool keeps one per externalId, so a repeated create after a
 * crash is answered with the first), or an archive (only a cancelled project archives).
 */
export function designTrouble(standIn: DesignToolStandIn, projectIds: string[]): { trouble: string[]; createCalls: number } {
  const trouble: string[] = [];
  const ours = new Set<string>();
  for (const projectId of projectIds) {
    const made = standIn.projects().filter((project) => project.externalId === projectId);
    if (made.length !== 1) trouble.push(`${projectId}: ${made.length} design projects`);
    for (const project of made) ours.add(project.id);
  }
  const calls = standIn.calls();
  for (const call of calls) if (/\/archive$/.test(call.path) && ours.has(call.path.split('/')[3] ?? '')) trouble.push(`${call.method} ${call.path}`);
  const createCalls = calls.filter((call) => call.method === 'POST' && call.path === '/v1/projects').length;
  return { trouble, createCalls };
}
