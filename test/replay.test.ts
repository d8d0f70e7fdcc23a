// Replays the committed histories (test/histories, from `npm run record-histories`)
// against today's workflow code. A change that would break a running project fails here.
import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';

const dir = path.join(__dirname, 'histories');
const recorded = fs
  .readdirSync(dir)
  .filter((file) => file.endsWith('.json'))
  .map((file) => ({ workflowId: file, history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'))) }));

async function replay(workflowBundle: { codePath: string } | { code: string }) {
  const results = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle, replayName: 'fieldflow-replay' }, recorded)) results.push(result);
  return results;
}

test('histories cover every workflow and a continue-as-new', () => {
  const types = recorded.map(({ workflowId }) => workflowId.split('.').at(-2));
  expect(new Set(types)).toEqual(new Set(['serviceProject', 'salesProject', 'siteJob', 'plannedCase']));
  expect(fs.readdirSync(dir).some((file) => fs.readFileSync(path.join(dir, file), 'utf8').includes('CONTINUED_AS_NEW'))).toBe(true);
});

test('the patched() example: job histories from before and after the patch are both in the corpus', () => {
  const jobs = fs.readdirSync(dir).filter((file) => file.endsWith('.siteJob.json'));
  // The patch leaves a core_patch marker and a search-attribute upsert; older jobs have neither.
  const withPatch = jobs.filter((file) => {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    return text.includes('"core_patch"') && text.includes('UPSERT_WORKFLOW_SEARCH_ATTRIBUTES');
  });
  expect(withPatch.length).toBeGreaterThan(0);
  expect(jobs.length - withPatch.length).toBeGreaterThan(0);
});

test('the field-work patches: jobs confirmed before them made no work order, jobs after them did', () => {
  const jobs = fs.readdirSync(dir).filter((file) => file.endsWith('.siteJob.json'));
  const text = (file: string) => fs.readFileSync(path.join(dir, file), 'utf8');
  // Work orders are made by an activity only behind patched('2026-11-work-orders').
  const withOrders = jobs.filter((file) => text(file).includes('"generateWorkOrder"'));
  expect(withOrders.length).toBeGreaterThan(0);
  const recordedAfter = ['patched-field-work.', 'approved-work-order-at-start.', 'dispatch-board-booked.', 'patched-erp-order.'];
  expect(withOrders.every((file) => recordedAfter.some((prefix) => file.startsWith(prefix)))).toBe(true);
  expect(jobs.length - withOrders.length).toBeGreaterThan(0);
});

test('the dispatch board: a history books a job with scheduleJobUpdate and moves it again', () => {
  const text = (file: string) => fs.readFileSync(path.join(dir, file), 'utf8');
  const booked = fs.readdirSync(dir).filter((file) => file.endsWith('.siteJob.json') && text(file).includes('"scheduleJobUpdate"'));
  expect(booked.length).toBeGreaterThan(0);
  const updates = booked.reduce((sum, file) => sum + (text(file).match(/"name":\s*"scheduleJobUpdate"/g)?.length ?? 0), 0);
  expect(updates).toBeGreaterThanOrEqual(2);
});

test('the ERP order patch: resolved cases recorded before it pushed nothing, the one after it pushed its order', () => {
  const projects = fs.readdirSync(dir).filter((file) => file.endsWith('.serviceProject.json'));
  const text = (file: string) => fs.readFileSync(path.join(dir, file), 'utf8');
  // The push is an activity only behind patched('2026-11-erp-order').
  const pushed = projects.filter((file) => text(file).includes('"pushErpOrder"'));
  expect(pushed.length).toBeGreaterThan(0);
  expect(pushed.every((file) => file.startsWith('patched-erp-order.'))).toBe(true);
  expect(projects.some((file) => file.startsWith('site-visit-replacement.'))).toBe(true);
});

test('every recorded history replays on the current code', async () => {
  const results = await replay({ codePath: process.env.FIELDFLOW_WORKFLOW_BUNDLE! });
  expect(results).toHaveLength(recorded.length);
  for (const result of results) expect({ workflowId: result.workflowId, error: result.error }).toEqual({ workflowId: result.workflowId, error: undefined });
});

test('an incompatible change is caught', async () => {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('./support/drifted'), logger: silent });
  const results = await replay({ code });
  const projects = results.filter((result) => result.workflowId.includes('serviceProject'));
  expect(projects.length).toBeGreaterThan(0);
  for (const result of projects) expect(String(result.error)).toMatch(/[Nn]ondeterminism|DeterminismViolation/);
});

const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
