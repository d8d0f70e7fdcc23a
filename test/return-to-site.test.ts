// "Return to site" is a transition, not recursion: five returns, each with a new job,
// then the project resolves.
import { serviceWorkflowId } from '../workflows/ids';
import { expectReadModelMatchesWorkflow } from './support/consistency';
import { Flow } from './support/flows';
import { startTestSystem, type TestSystem } from './support/system';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(() => system?.stop());

test('return to site five times, alternating job types, then resolve', async () => {
  const flow = await Flow.create(system.api, 'Intermittent tripping');
  await flow.complete('service_request', { description: 'RCD trips at night', resolution: 'site_visit', jobType: 'audit' });
  const kinds: ('audit' | 'replacement')[] = ['audit', 'replacement', 'audit', 'replacement', 'audit', 'audit'];
  for (let visit = 0; visit < kinds.length; visit++) {
    const answer = kinds[visit] === 'audit' ? await flow.auditJob() : await flow.replacementJob();
    expect(answer.project.stage).toBe('reviewing');
    await expectReadModelMatchesWorkflow(flow, system.temporal);
    const last = visit === kinds.length - 1;
    const review = await flow.complete('service_review', last ? { outcome: 'resolved' } : { outcome: 'return_to_site', jobType: kinds[visit + 1] });
    expect(review.project.stage).toBe(last ? 'closed' : 'servicing');
    await expectReadModelMatchesWorkflow(flow, system.temporal);
  }
  const project = await flow.project();
  expect(project.jobs.map((job: { sequence: number; type: string; status: string }) => [job.sequence, job.type, job.status])).toEqual(
    kinds.map((type, index) => [index + 1, type, 'done']),
  );
  const result = await system.temporal.workflow.getHandle(serviceWorkflowId(flow.projectId)).result();
  expect(result).toEqual({ projectId: flow.projectId, outcome: 'resolved', jobs: 6 });
});
