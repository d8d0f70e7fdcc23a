// A project whose history passes the configured threshold continues as new at a loop
// boundary, carrying its state, and then finishes correctly.
import { serviceWorkflowId } from '../workflows/ids';
import { CustomerIdKey, ProjectKindKey, ProjectStageKey } from '../workflows/search-attributes';
import { expectReadModelMatchesWorkflow } from './support/consistency';
import { Flow } from './support/flows';
import { startTestSystem, type TestSystem } from './support/system';

let system: TestSystem;
beforeAll(async () => {
  // Low enough that every review loop crosses it.
  system = await startTestSystem({ CONTINUE_AS_NEW_AFTER_EVENTS: '25' });
});
afterAll(() => system?.stop());

test('continues as new in the middle of a project, then finishes', async () => {
  const flow = await Flow.create(system.api, 'Long running case');
  const workflowId = serviceWorkflowId(flow.projectId);
  await flow.complete('service_request', { description: 'Yield low', resolution: 'site_visit', jobType: 'audit' });
  await flow.auditJob();
  await expectReadModelMatchesWorkflow(flow, system.temporal);
  await flow.complete('service_review', { outcome: 'return_to_site', jobType: 'replacement' });
  await flow.replacementJob();
  await expectReadModelMatchesWorkflow(flow, system.temporal);

  const runsBefore = await runs(workflowId);
  expect(runsBefore.filter((run) => run.status.name === 'CONTINUED_AS_NEW').length).toBeGreaterThanOrEqual(1);

  // The new run carries the open review task, the jobs and the id counters.
  const project = await flow.project();
  expect(project).toMatchObject({ stage: 'reviewing', jobs: [{ sequence: 1 }, { sequence: 2 }] });
  await flow.complete('service_review', { outcome: 'return_to_site', jobType: 'audit' });
  await flow.auditJob('completed', true);
  const done = await flow.complete('service_review', { outcome: 'resolved' });
  expect(done.project).toMatchObject({ stage: 'closed', outcome: 'resolved', status: 'completed' });
  await expectReadModelMatchesWorkflow(flow, system.temporal);

  const result = await system.temporal.workflow.getHandle(workflowId).result();
  // The last run is still findable by every search attribute the first run was started with.
  const described = await system.temporal.workflow.getHandle(workflowId).describe();
  expect(described.typedSearchAttributes.get(ProjectKindKey)).toBe('service');
  expect(described.typedSearchAttributes.get(CustomerIdKey)).toBe('cus_demo');
  expect(described.typedSearchAttributes.get(ProjectStageKey)).toBe('closed');
  expect(result).toEqual({ projectId: flow.projectId, outcome: 'resolved', jobs: 3 });
  // Ids made after the continue-as-new do not collide with the ones before it.
  const tasks = (await system.api.as('ops').get(`/tasks?projectId=${flow.projectId}&limit=200`)).body.items;
  expect(new Set(tasks.map((task: { id: string }) => task.id)).size).toBe(tasks.length);
  const timeline = (await system.api.as('ops').get(`/projects/${flow.projectId}/timeline?limit=500`)).body.items;
  expect(timeline.filter((entry: { summary: string }) => entry.summary === 'Service review completed')).toHaveLength(3);
});

async function runs(workflowId: string) {
  const found = [];
  for await (const execution of system.temporal.workflow.list({ query: `WorkflowId = "${workflowId}"` })) found.push(execution);
  return found;
}
