// Statistics through HTTP over cases this file makes for a customer of its own (the
// database may be shared, so every count is narrowed to that customer): cases per status,
// category, site and month, and the lead time per stage, checked against a percentile
// computed here from the cases' own timelines; bad queries are refused, and only the
// office reads them.
import crypto from 'node:crypto';
import { Flow } from './support/flows';
import { startTestSystem, type TestSystem } from './support/system';

let system: TestSystem;
const api = () => system.api;
const run = crypto.randomUUID().slice(0, 8);
let customerId: string;
const site: Record<'a' | 'b', { id: string; address: string }> = {} as never;
const flows: Flow[] = [];

beforeAll(async () => {
  system = await startTestSystem();
  const ops = api().as('ops');
  customerId = (await ops.post('/customers', { name: `Statistics ${run}` })).body.id;
  for (const key of ['a', 'b'] as const) {
    const address = `${key.toUpperCase()}${run} Chart Street, Adelaide`;
    site[key] = { id: (await ops.post(`/customers/${customerId}/sites`, { address })).body.id, address };
  }
  const raise = async (siteId: string, category: string) => {
    const answer = await ops.post('/cases', { customerId, siteId, category, description: `Statistics ${run}`, raisedBy: 'staff' });
    expect(answer.status).toBe(201);
    return new Flow(api(), answer.body.id);
  };
  // Four cases: three raised with a category, one started as a plain project (no case row).
  const notRequired = await raise(site.a.id, 'inverter');
  const resolved = await raise(site.a.id, 'inverter');
  const waiting = await raise(site.b.id, 'battery');
  const plain = await Flow.create(api(), `Statistics ${run}`, customerId, site.b.id);
  flows.push(notRequired, resolved, waiting, plain);

  await notRequired.complete('service_request', { description: 'Duplicate', resolution: 'not_required' }); // requesting → closed: cancelled
  await resolved.complete('service_request', { description: 'Check logs', resolution: 'internal' }); // requesting → investigating
  await plain.complete('service_request', { description: 'Check logs', resolution: 'internal' }); // requesting → investigating
  await new Promise((resolve) => setTimeout(resolve, 400)); // some time in investigating
  await resolved.complete('internal_review', { outcome: 'resolved' }); // investigating → closed: completed
  // The closes are in the read model (the workflow writes them after answering).
  for (const flow of [notRequired, resolved]) await until(`${flow.projectId} closed`, async () => ((await flow.project()).outcome ? true : undefined));
});
afterAll(() => system?.stop());

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

const stats = async (path: string, role = 'ops') => {
  const answer = await api().as(role).get(path);
  expect({ path, status: answer.status }).toEqual({ path, status: 200 });
  return answer.body;
};
const sorted = <T extends { key: string }>(items: T[]) => [...items].sort((a, b) => a.key.localeCompare(b.key));
const companyDay = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: system.config.companyTimeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);

test('cases per status, category, site and month', async () => {
  const mine = `customerId=${customerId}`;
  expect(sorted((await stats(`/stats/cases?by=status&${mine}`)).items)).toEqual([
    { key: 'cancelled', count: 1 },
    { key: 'completed', count: 1 },
    { key: 'planned', count: 2 },
  ]);
  expect(sorted((await stats(`/stats/cases?by=category&${mine}`)).items)).toEqual([
    { key: 'battery', count: 1 },
    { key: 'inverter', count: 2 },
    { key: 'uncategorised', count: 1 },
  ]);
  const bySite = await stats(`/stats/cases?by=site&${mine}`);
  expect(bySite.by).toBe('site');
  expect(sorted(bySite.items)).toEqual(
    sorted([
      { key: site.a.id, count: 2, label: site.a.address },
      { key: site.b.id, count: 2, label: site.b.address },
    ]),
  );
  const today = companyDay(new Date());
  expect((await stats(`/stats/cases?by=month&${mine}`)).items).toEqual([{ key: today.slice(0, 7), count: 4 }]);

  // The period: today (a company day, both ends included) has them; a year long past has none.
  expect((await stats(`/stats/cases?by=month&${mine}&from=${today}&to=${today}`)).items).toEqual([{ key: today.slice(0, 7), count: 4 }]);
  expect((await stats(`/stats/cases?by=status&${mine}&from=2020-01-01&to=2020-12-31`)).items).toEqual([]);
  // An instant after they were made leaves them out.
  const later = encodeURIComponent(new Date(Date.now() + 60_000).toISOString());
  expect((await stats(`/stats/cases?by=status&${mine}&from=${later}`)).items).toEqual([]);
  // Without the customer filter, every customer's cases count: at least ours.
  const all = (await stats(`/stats/cases?by=site&from=${today}&to=${today}`)).items as { key: string; count: number }[];
  expect(all.find((item) => item.key === site.a.id)?.count).toBe(2);
});

/** percentile_cont: linear interpolation between the closest ranks. */
function percentile(values: number[], p: number): number {
  const ordered = [...values].sort((a, b) => a - b);
  const position = p * (ordered.length - 1);
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return ordered[low]! + (ordered[high]! - ordered[low]!) * (position - low);
}

test('lead time per stage: median and p90 of the time each case spent there', async () => {
  // From the timelines: each stage entry starts a stay that lasts until the next stage.
  const spent: Record<string, number[]> = {};
  for (const flow of flows) {
    const entries = (await api().as('ops').get(`/projects/${flow.projectId}/timeline?limit=200`)).body.items.filter((entry: { kind: string }) => entry.kind === 'stage');
    const stays: { stage: string; at: number }[] = [];
    for (const entry of entries) if (stays.at(-1)?.stage !== entry.data.to) stays.push({ stage: entry.data.to, at: Date.parse(entry.at) });
    const perStage: Record<string, number> = {};
    for (let i = 0; i + 1 < stays.length; i++) perStage[stays[i]!.stage] = (perStage[stays[i]!.stage] ?? 0) + (stays[i + 1]!.at - stays[i]!.at) / 1000;
    for (const [stage, seconds] of Object.entries(perStage)) (spent[stage] ??= []).push(seconds);
  }
  // Three cases left "requesting", one left "investigating" (after at least 0.4 s).
  expect(Object.fromEntries(Object.entries(spent).map(([stage, values]) => [stage, values.length]))).toEqual({ requesting: 3, investigating: 1 });
  expect(spent.investigating![0]).toBeGreaterThanOrEqual(0.4);

  const { items } = await stats(`/stats/lead-times?customerId=${customerId}`);
  expect(items.map((item: { stage: string }) => item.stage)).toEqual(['requesting', 'investigating']);
  for (const item of items as { stage: string; median: number; p90: number; count: number }[]) {
    const values = spent[item.stage]!;
    expect({ stage: item.stage, count: item.count }).toEqual({ stage: item.stage, count: values.length });
    expect(item.median).toBeCloseTo(percentile(values, 0.5), 2);
    expect(item.p90).toBeCloseTo(percentile(values, 0.9), 2);
    expect(item.p90).toBeGreaterThanOrEqual(item.median);
  }
  expect((await stats(`/stats/lead-times?customerId=${customerId}&from=2020-01-01&to=2020-01-31`)).items).toEqual([]);
});

test('bad queries are refused with problem+json, and statistics are the office’s', async () => {
  for (const path of [
    '/stats/cases',
    '/stats/cases?by=colour',
    '/stats/cases?by=site&from=2026-02-30',
    '/stats/cases?by=site&from=2026-11-10&to=2026-11-01',
    '/stats/lead-times?to=soon',
    '/stats/lead-times?from=2026-11-24T10:00:00',
  ]) {
    const answer = await api().as('ops').get(path);
    expect({ path, status: answer.status }).toEqual({ path, status: 400 });
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
  }
  for (const role of ['installer', 'customer']) {
    expect((await api().as(role).get('/stats/cases?by=status')).status).toBe(403);
    expect((await api().as(role).get('/stats/lead-times')).status).toBe(403);
  }
  for (const role of ['admin', 'supervisor']) expect((await api().as(role).get(`/stats/cases?by=category&customerId=${customerId}`)).status).toBe(200);
});
