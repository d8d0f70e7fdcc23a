// Article registrations through HTTP, the real dev server and the read model: the xlsx
// export opened with exceljs's reader, its line totals and totals row to the cent (with
// prices whose float products would round the wrong way), and the ERP order a resolved
// case pushes: exactly one per case, even when the ERP recorded the order but the answer
// was lost (a 503, or an answer slower than the client waits) and the push was retried.
import crypto from 'node:crypto';
import ExcelJS from 'exceljs';
import { Flow } from './support/flows';
import { startTestSystem, type TestSystem } from './support/system';

let system: TestSystem;
const api = () => system.api;
const run = crypto.randomUUID().slice(0, 8);
let customerId: string;
let siteId: string;
/** Articles of this run, by a short name: prices with cents. */
const article: Record<string, { id: string; number: string; priceCents: number }> = {};

beforeAll(async () => {
  // The client gives up on the ERP after 1 s, so a slow answer is a retry.
  system = await startTestSystem({ ERP_TIMEOUT: 'PT1S' });
  const customer = await api().as('ops').post('/customers', { name: `Articles ${run} Pty Ltd` });
  customerId = customer.body.id;
  const site = await api().as('ops').post(`/customers/${customerId}/sites`, { address: `${run} Ledger Lane, Adelaide` });
  siteId = site.body.id;
  // 1.15 × 1.5 is 1.7249999… as a float: rounded naively it is 1.72, exactly it is 1.725 → 1.73.
  for (const [key, priceCents, unit] of [['cable', 115, 'm'], ['fuse', 10, 'pcs'], ['clip', 20, 'pcs'], ['breaker', 1999, 'pcs']] as const) {
    const created = await api().as('admin').post('/articles', { number: `T-${run}-${key}`, name: `Test ${key} ${run}`, unit, priceCents });
    expect(created.status).toBe(201);
    article[key] = { id: created.body.id, number: created.body.number, priceCents };
  }
});
afterAll(() => system?.stop());

/** A service case at its review: one audit job with these material lines, its field work done. */
async function caseWithMaterials(title: string, lines: { key: string; quantity: number }[]): Promise<{ flow: Flow; jobId: string }> {
  const flow = await Flow.create(api(), `${title} ${run}`, customerId, siteId);
  await flow.complete('service_request', { description: 'Isolator replaced', resolution: 'site_visit', jobType: 'audit' });
  await flow.complete('confirm_job');
  await flow.complete('accept_schedule_job', { scheduledStart: '2026-12-01T09:00:00+10:30' }, 'installer');
  const jobId = (await flow.project()).jobs[0].id as string;
  for (const line of lines) {
    const added = await api().as('installer').post(`/jobs/${jobId}/protocol/materials`, { articleId: article[line.key].id, quantity: line.quantity });
    expect(added.status).toBe(201);
  }
  await flow.fillProtocol();
  await flow.complete('audit_checklist', {}, 'installer');
  await flow.complete('review_audit_artefacts', { assetRegisterUpdateNeeded: false });
  await flow.complete('audit_review', { outcome: 'completed' });
  await flow.openTask('service_review');
  return { flow, jobId };
}

async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function download(role: string, query: string): Promise<{ status: number; type: string | null; disposition: string | null; bytes: Buffer }> {
  const token = await api().login(`${role}@demo.test`);
  const response = await fetch(`${api().baseUrl}/exports/articles.xlsx${query}`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: response.status, type: response.headers.get('content-type'), disposition: response.headers.get('content-disposition'), bytes: Buffer.from(await response.arrayBuffer()) };
}

const erpOrders = () => system.erp.standIn!.orders();
const erpCalls = () => system.erp.standIn!.calls();
const timelineOf = async (projectId: string) => (await api().as('ops').get(`/projects/${projectId}/timeline`)).body.items as { summary: string; data?: Record<string, unknown> }[];
/** The day in the company's time zone (the registrations' dates are the company's days). */
const companyDay = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: system.config.companyTimeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);

test('the xlsx export has one row per registration, money as numbers, and totals that match to the cent', async () => {
  const { flow, jobId } = await caseWithMaterials('Export', [
    { key: 'cable', quantity: 1.5 }, // 1.725 → 1.73
    { key: 'fuse', quantity: 1 }, // 0.10
    { key: 'clip', quantity: 1 }, // 0.20: with the fuse, 0.1 + 0.2 as floats is 0.30000000000000004
    { key: 'breaker', quantity: 3 }, // 59.97
  ]);
  await flow.complete('service_review', { outcome: 'resolved' });
  const today = companyDay(new Date());

  const answer = await download('ops', `?from=${today}&to=${today}`);
  expect(answer.status).toBe(200);
  expect(answer.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  expect(answer.disposition).toContain(`articles_${today}_${today}.xlsx`);

  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(answer.bytes as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet('Registrations')!;
  expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  const header = (sheet.getRow(1).values as unknown[]).slice(1);
  expect(header).toEqual(['Date', 'Case', 'Title', 'Customer', 'Site', 'Article number', 'Article', 'Quantity', 'Unit', 'Unit price', 'Line total']);
  expect(sheet.getColumn(5).width).toBeGreaterThan(20);

  const rows: { values: unknown[]; amountCell: ExcelJS.Cell }[] = [];
  let totals: ExcelJS.Row | undefined;
  sheet.eachRow((row, index) => {
    if (index === 1) return;
    const values = (row.values as unknown[]).slice(1);
    if (String(values[1] ?? '').startsWith('Total')) totals = row;
    else rows.push({ values, amountCell: row.getCell(11) });
  });
  const mine = rows.filter((row) => row.values[1] === flow.projectId);
  expect(mine.map((row) => row.values.slice(3))).toEqual([
    [`Articles ${run} Pty Ltd`, `${run} Ledger Lane, Adelaide`, article.cable.number, `Test cable ${run}`, 1.5, 'm', 1.15, 1.73],
    [`Articles ${run} Pty Ltd`, `${run} Ledger Lane, Adelaide`, article.fuse.number, `Test fuse ${run}`, 1, 'pcs', 0.1, 0.1],
    [`Articles ${run} Pty Ltd`, `${run} Ledger Lane, Adelaide`, article.clip.number, `Test clip ${run}`, 1, 'pcs', 0.2, 0.2],
    [`Articles ${run} Pty Ltd`, `${run} Ledger Lane, Adelaide`, article.breaker.number, `Test breaker ${run}`, 3, 'pcs', 19.99, 59.97],
  ]);
  // A real date, and money in the currency's format.
  expect(mine[0].values[0]).toBeInstanceOf(Date);
  expect((mine[0].values[0] as Date).toISOString().slice(0, 10)).toBe(today);
  expect(mine[0].amountCell.numFmt).toContain('#,##0.00');
  expect(mine[0].amountCell.numFmt).toContain('AUD');

  // The totals row: a SUM over the line totals, whose value is their sum in whole cents
  // (every registration of the day, whoever made it: the database is shared).
  expect(totals).toBeDefined();
  const total = totals!.getCell(11).value as ExcelJS.CellFormulaValue;
  expect(total.formula).toBe(`SUM(K2:K${rows.length + 1})`);
  const sumOfLines = rows.reduce((sum, row) => sum + Math.round((row.amountCell.value as number) * 100), 0);
  expect(Math.round((total.result as number) * 100)).toBe(sumOfLines);
  expect(String(totals!.getCell(2).value)).toBe(`Total (${rows.length} registrations)`);
  // This case's own lines: 1.73 + 0.10 + 0.20 + 59.97.
  expect(mine.reduce((sum, row) => sum + Math.round((row.amountCell.value as number) * 100), 0)).toBe(6200);

  // A job on this case, read back through the protocol: the same four lines.
  const protocol = (await api().as('ops').get(`/jobs/${jobId}/protocol`)).body;
  expect(protocol.materials).toHaveLength(4);
  // Its ERP order went out too (before the next test sets the stand-in's faults).
  await until('the ERP order in the timeline', async () => (await timelineOf(flow.projectId)).find((candidate) => candidate.summary.startsWith('ERP order')));

  // A period before the case: no row of it.
  const before = await download('admin', '?from=2020-01-01&to=2020-01-31');
  expect(before.status).toBe(200);
  const empty = new ExcelJS.Workbook();
  await empty.xlsx.load(before.bytes as unknown as ArrayBuffer);
  const values: unknown[] = [];
  empty.getWorksheet('Registrations')!.eachRow((row) => values.push(...(row.values as unknown[])));
  expect(values).not.toContain(flow.projectId);
});

test('bad periods are refused with problem+json, and the export is the office’s', async () => {
  for (const query of ['?from=2026-13-01', '?to=yesterday', '?from=2026-11-10&to=2026-11-01', '?from=2026-11-24T10:00:00']) {
    const answer = await api().as('ops').get(`/exports/articles.xlsx${query}`);
    expect({ query, status: answer.status }).toEqual({ query, status: 400 });
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body.errors.length).toBeGreaterThan(0);
  }
  for (const role of ['installer', 'customer']) expect((await download(role, '')).status).toBe(403);
  for (const role of ['admin', 'supervisor', 'ops']) expect((await download(role, '?from=2026-11-01T00:00:00%2B10:30')).status).toBe(200);
});

test('a resolved case pushes one ERP order with its lines and totals, however often the push is retried', async () => {
  const { flow } = await caseWithMaterials('ERP 503', [
    { key: 'cable', quantity: 1.5 },
    { key: 'breaker', quantity: 2 },
  ]);
  // The ERP records the order, then the answer is lost: the activity must retry with the same key.
  system.erp.standIn!.fail({ afterRecord: true, status: 503 });
  await flow.complete('service_review', { outcome: 'resolved' });

  const entry = await until('the ERP order in the timeline', async () => (await timelineOf(flow.projectId)).find((candidate) => candidate.summary.startsWith('ERP order')));
  const orders = erpOrders().filter((order) => order.idempotencyKey === flow.projectId);
  expect(orders).toHaveLength(1);
  const [order] = orders;
  expect(entry.summary).toBe(`ERP order ${order.id}: 2 lines, 41.71 AUD`);
  expect(order).toMatchObject({
    caseNumber: flow.projectId,
    customer: { id: customerId, name: `Articles ${run} Pty Ltd` },
    site: { id: siteId, address: `${run} Ledger Lane, Adelaide` },
    currency: 'AUD',
    totalCents: 4171, // 1.73 + 39.98
    lines: [
      { articleNumber: article.cable.number, quantity: 1.5, unit: 'm', unitPriceCents: 115, amountCents: 173 },
      { articleNumber: article.breaker.number, quantity: 2, unit: 'pcs', unitPriceCents: 1999, amountCents: 3998 },
    ],
  });
  // Two pushes reached the ERP with the same key: the first made the order (its answer lost), the second found it.
  const pushes = erpCalls().filter((call) => call.idempotencyKey === flow.projectId);
  expect(pushes.map((call) => call.status)).toEqual([503, 200]);
});

test('an answer slower than the client waits is retried and still makes one order', async () => {
  const { flow } = await caseWithMaterials('ERP slow', [{ key: 'fuse', quantity: 4 }]);
  system.erp.standIn!.fail({ afterRecord: true, delayMs: 2500 });
  await flow.complete('service_review', { outcome: 'resolved' });
  await until('the ERP order in the timeline', async () => (await timelineOf(flow.projectId)).find((candidate) => candidate.summary.startsWith('ERP order')));
  expect(erpOrders().filter((order) => order.idempotencyKey === flow.projectId)).toHaveLength(1);
  expect(erpCalls().filter((call) => call.idempotencyKey === flow.projectId).length).toBeGreaterThanOrEqual(2);
});

test('cases that do not end resolved push nothing, and a resolved case without registrations says so', async () => {
  const unresolved = await caseWithMaterials('ERP unresolved', [{ key: 'clip', quantity: 2 }]);
  await unresolved.flow.complete('service_review', { outcome: 'cannot_resolve' });
  const bare = await Flow.create(api(), `ERP bare ${run}`, customerId, siteId);
  await bare.complete('service_request', { description: 'Sorted on the phone', resolution: 'internal' });
  await bare.complete('internal_review', { outcome: 'resolved' });
  await until('the no-order note', async () => (await timelineOf(bare.projectId)).find((entry) => entry.summary === 'No ERP order: the case has no article registrations'));
  // Both workflows ended: any outside work they owed has run.
  for (const flow of [unresolved.flow, bare]) await system.temporal.workflow.getHandle((await flow.project()).workflowId).result();
  expect((await unresolved.flow.project()).outcome).toBe('unresolved');
  const keys = erpCalls().map((call) => call.idempotencyKey);
  expect(keys).not.toContain(unresolved.flow.projectId);
  expect(keys).not.toContain(bare.projectId);
});

test('an order the ERP refuses for good (a 4xx) is not retried, and the timeline says so', async () => {
  const { flow } = await caseWithMaterials('ERP refused', [{ key: 'clip', quantity: 1 }]);
  system.erp.standIn!.fail({ status: 422 });
  await flow.complete('service_review', { outcome: 'resolved' });
  const entry = await until('the failure in the timeline', async () => (await timelineOf(flow.projectId)).find((candidate) => candidate.summary.startsWith('erp.order failed for good')));
  expect(entry.summary).toContain('HTTP 422');
  await system.temporal.workflow.getHandle((await flow.project()).workflowId).result();
  expect(erpOrders().filter((order) => order.idempotencyKey === flow.projectId)).toEqual([]);
  expect(erpCalls().filter((call) => call.idempotencyKey === flow.projectId).map((call) => call.status)).toEqual([422]);
});
