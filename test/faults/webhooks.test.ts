// Duplicate and out-of-order webhooks: every manufacturer delivery is sent twice at once
// with the same webhook-id (as a sender that timed out resends), and a stale delivery
// (an older message, sent last) follows the one that settled the case. One effect each,
// no 5xx, and no failing workflow task (no error loop) in any history.
import crypto from 'node:crypto';
import { Flow } from '../support/flows';
import { duplicates, readModelCatchesUp } from './checks';
import { RetryingApi } from './client';
import { addRow } from './report';
import { fieldflowPerFile, sleep, WEBHOOK_SECRET_MANUFACTURER } from './stack';

const UNHANDLED_COMMAND = 1; // temporal.api.enums.v1.WorkflowTaskFailedCause

const PROJECTS = Number(process.env.FAULTS_WEBHOOK_PROJECTS ?? 10);

const stack = fieldflowPerFile();

test(`${PROJECTS} projects, each manufacturer delivery twice and a stale one last: one effect each, no error loop`, async () => {
  const api = new RetryingApi(stack.fieldflow.baseUrl);
  const flows = await Promise.all(
    Array.from({ length: PROJECTS }, async (_, index) => {
      const flow = await Flow.create(api, `Webhooks ${index}`);
      await flow.complete('service_request', { description: 'Panel delamination', resolution: 'manufacturer' });
      return flow;
    }),
  );

  const statuses: number[] = [];
  let duplicatesSeen = 0;
  await Promise.all(
    flows.map(async (flow) => {
      const id = `msg_${crypto.randomUUID()}`;
      const event = { outcome: 'resolved', reference: `RMA-${flow.projectId}` };
      const [first, second] = await Promise.all([
        flow.sendManufacturerEvent(WEBHOOK_SECRET_MANUFACTURER, event, {}, id),
        flow.sendManufacturerEvent(WEBHOOK_SECRET_MANUFACTURER, event, {}, id),
      ]);
      statuses.push(first.status, second.status);
      if (first.body?.duplicate || second.body?.duplicate) duplicatesSeen++;
      // A stale delivery, sent after: an older message asking for a site visit.
      const stale = await flow.sendManufacturerEvent(WEBHOOK_SECRET_MANUFACTURER, { outcome: 'site_visit_required', jobType: 'replacement' });
      statuses.push(stale.status);
    }),
  );
  expect(statuses.filter((status) => status >= 500)).toEqual([]);

  const failures: string[] = [];
  for (const flow of flows) {
    const deadline = Date.now() + 30_000;
    let view = await flow.project();
    while (view.stage !== 'closed' && Date.now() < deadline) {
      await sleep(250);
      view = await flow.project();
    }
    // The first delivery settled it; neither its twin nor the stale one did anything.
    expect({ id: flow.projectId, stage: view.stage, outcome: view.outcome, jobs: view.jobs.length }).toEqual({ id: flow.projectId, stage: 'closed', outcome: 'resolved', jobs: 0 });
    await readModelCatchesUp(flow, stack.temporal.client);
    expect(await duplicates(api, flow.projectId)).toEqual([]);
    const timeline = (await api.as('admin').get(`/projects/${flow.projectId}/timeline?limit=200`)).body.items;
    // One applied event per project; the stale one is only noted as ignored.
    const events = timeline.filter((item: { kind: string }) => item.kind === 'event');
    expect(events.filter((item: { summary: string }) => !/ignored/.test(item.summary)).map((item: { summary: string }) => item.summary)).toEqual(['Manufacturer outcome received: resolved']);
    expect(events.length).toBeLessThanOrEqual(2);
    const { events: history } = await stack.temporal.client.workflow.getHandle(view.workflowId).fetchHistory();
    // A workflow task the server refused because a twin arrived while the workflow was
    // closing (UNHANDLED_COMMAND) is Temporal's own retry, not a failure of ours.
    for (const event of history ?? []) {
      const failed = event.workflowTaskFailedEventAttributes;
      if (failed && Number(failed.cause) !== UNHANDLED_COMMAND) failures.push(`${flow.projectId}: cause ${failed.cause} ${failed.failure?.message ?? ''}`);
    }
  }
  expect(failures).toEqual([]);

  addRow({
    fault: 'duplicate and out-of-order webhooks',
    done: `${PROJECTS} manufacturer outcomes, each delivered twice at once with one webhook-id, then a stale delivery (site visit asked for) after the case closed`,
    held: `one effect per delivery: one applied event in each timeline (the stale one refused with 409 once the read model shows the case closed, else noted as ignored), every project closed as resolved with no job; no 5xx; no failed workflow task in any history (but the server's own UNHANDLED_COMMAND retry when a twin lands while a workflow closes)`,
    figures: `${statuses.length} deliveries: ${count(statuses)}; ${duplicatesSeen} twins answered as duplicates at the door (the rest deduplicated by the workflow)`,
  });
});

function count(statuses: number[]): string {
  const byStatus = new Map<number, number>();
  for (const status of statuses) byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  return [...byStatus].map(([status, n]) => `${n}× ${status}`).join(', ');
}
