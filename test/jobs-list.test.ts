// The jobs list (GET /jobs) against the real worker, Temporal and database: newest first
// or by a column, every filter, the total, keyset pages, and who sees what (the office all
// of them; an installer their own and the open offers, never another installer's job; a
// customer nothing). Each test's jobs belong to customers made here: with PostgreSQL all
// test files share one database, so nothing below counts rows it did not make.
import crypto from 'node:crypto';
import { Flow } from './support/flows';
import { startTestSystem, type TestSystem } from './support/system';

let system: TestSystem;
const api = () => system.api;
const ops = () => api().as('ops');
const IVY = 'usr_demo_installer';
const IAN = 'usr_demo_installer2';

/** A confirmed audit job at a new site of the customer, offered to every installer. */
async function offeredJob(customerId: string, address: string): Promise<{ jobId: string; siteId: string; flow: Flow }> {
  const site = (await ops().post(`/customers/${customerId}/sites`, { address })).body;
  const flow = await Flow.create(api(), `Jobs list ${address}`, customerId, site.id);
  await flow.complete('service_request', { description: 'Inverter shows E21', resolution: 'site_visit', jobType: 'audit' });
  await flow.complete('confirm_job');
  await flow.openTask('accept_schedule_job');
  return { jobId: (await flow.project()).jobs.at(-1).id, siteId: site.id, flow };
}

const book = async (jobId: string, installerId: string, start: Date) => {
  const answer = await ops().post(`/jobs/${jobId}/schedule`, { installerId, start: start.toISOString(), end: new Date(start.getTime() + 2 * 3600_000).toISOString() });
  expect(answer.status).toBe(200);
};

const ids = (answer: { body: { items: { id: string }[] } }) => answer.body.items.map((job) => job.id);

let tag: string;
let first: { id: string; name: string };
let second: { id: string; name: string };
/** Oldest to newest: an offer, a job booked for Ivy yesterday (its field task overdue), one for Ian in December. */
let offer: { jobId: string; siteId: string; flow: Flow };
let ivys: { jobId: string; siteId: string; flow: Flow };
let ians: { jobId: string; siteId: string; flow: Flow };
const yesterday = new Date(Date.now() - 24 * 3600_000);

beforeAll(async () => {
  system = await startTestSystem();
  tag = crypto.randomUUID().slice(0, 8);
  // "Zed" sorts after "Abe" by name, and was made first: sorting by customer is not the creation order.
  first = (await ops().post('/customers', { name: `Zed Jobs ${tag}` })).body;
  second = (await ops().post('/customers', { name: `Abe Jobs ${tag}` })).body;
  offer = await offeredJob(first.id, `1 Offer Street ${tag}`);
  ivys = await offeredJob(first.id, `2 Ivy Street ${tag}`);
  await book(ivys.jobId, IVY, yesterday);
  ians = await offeredJob(second.id, `3 Ian Street ${tag}`);
  await book(ians.jobId, IAN, new Date('2026-12-08T09:00:00+10:30'));
});
afterAll(() => system?.stop());

const mine = (query = '') => `/jobs?customerId=${first.id}${query}`;

test('newest first by default, oldest first when asked, a page at a time with the total', async () => {
  const all = await ops().get(`/jobs?limit=50`);
  expect(all.status).toBe(200);
  const times = all.body.items.map((job: { createdAt: string }) => Date.parse(job.createdAt));
  expect(times).toEqual([...times].sort((x, y) => y - x));
  expect(all.body.total).toBeGreaterThanOrEqual(3);

  const ofFirst = await ops().get(mine());
  expect(ofFirst.body).toMatchObject({ total: 2, totalCapped: false, nextCursor: null });
  expect(ids(ofFirst)).toEqual([ivys.jobId, offer.jobId]);
  expect(ofFirst.body.items[0]).toMatchObject({
    customerId: first.id,
    customerName: first.name,
    siteId: ivys.siteId,
    address: `2 Ivy Street ${tag}`,
    installerId: IVY,
    installerName: 'Ivy Installer',
    type: 'audit',
    status: 'open',
    projectTitle: `Jobs list 2 Ivy Street ${tag}`,
  });
  expect(ids(await ops().get(mine('&order=asc')))).toEqual([offer.jobId, ivys.jobId]);

  const page1 = await ops().get(mine('&limit=1'));
  expect(page1.body).toMatchObject({ total: 2, items: [expect.objectContaining({ id: ivys.jobId })] });
  expect(page1.body.nextCursor).toEqual(expect.any(String));
  const page2 = await ops().get(mine(`&limit=1&cursor=${page1.body.nextCursor}`));
  expect(page2.body).toMatchObject({ total: 2, items: [expect.objectContaining({ id: offer.jobId })], nextCursor: null });
});

test('sorts by customer name and by appointment, and pages through a sort', async () => {
  const both = (query: string) => ops().get(`/jobs?${query}`);
  const byCustomer = await ops().get(`/jobs?sort=customer&customerId=${second.id}`);
  expect(ids(byCustomer)).toEqual([ians.jobId]);
  // Over both customers: Abe before Zed, and Zed's two in id order.
  const names = async (order: string) => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const answer: { body: { items: { customerName: string; id: string }[]; nextCursor: string | null } } = await both(`sort=customer&order=${order}&limit=200${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...answer.body.items.filter((job) => job.customerName.endsWith(tag)).map((job) => job.customerName));
      cursor = answer.body.nextCursor;
    } while (cursor);
    return seen;
  };
  expect(await names('asc')).toEqual([second.name, first.name, first.name]);
  expect(await names('desc')).toEqual([first.name, first.name, second.name]);

  // Soonest appointment first, the unbooked offer last.
  expect(ids(await ops().get(mine('&sort=scheduled')))).toEqual([ivys.jobId, offer.jobId]);
  expect(ids(await ops().get(mine('&sort=scheduled&order=desc')))).toEqual([offer.jobId, ivys.jobId]);
});

test('each filter keeps what it says', async () => {
  expect(ids(await ops().get(`/jobs?siteId=${offer.siteId}`))).toEqual([offer.jobId]);
  expect(ids(await ops().get(mine(`&installer=${IVY}`)))).toEqual([ivys.jobId]);
  expect(ids(await ops().get(mine('&installer=none')))).toEqual([offer.jobId]);
  expect(ids(await ops().get(`/jobs?customerId=${second.id}&installer=${IVY}`))).toEqual([]);
  expect(ids(await ops().get(mine('&status=open')))).toEqual([ivys.jobId, offer.jobId]);
  expect(ids(await ops().get(mine('&status=done')))).toEqual([]);
  expect(ids(await ops().get(mine('&type=audit')))).toEqual([ivys.jobId, offer.jobId]);
  expect(ids(await ops().get(mine('&type=installation')))).toEqual([]);

  // Scheduled from/to: the appointment's start in [from, to).
  const day = (from: Date) => `&from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(new Date(from.getTime() + 86_400_000).toISOString())}`;
  expect(ids(await ops().get(mine(day(new Date(yesterday.getTime() - 3600_000)))))).toEqual([ivys.jobId]);
  expect(ids(await ops().get(mine(day(new Date(yesterday.getTime() + 3600_000)))))).toEqual([]);
  expect(ids(await ops().get(`/jobs?customerId=${second.id}&from=2026-12-08T00:00:00%2B10:30&to=2026-12-09T00:00:00%2B10:30`))).toEqual([ians.jobId]);

  // Ivy's audit checklist fell due four hours after yesterday's appointment: overdue. The offer's accept task is not.
  const overdue = await ops().get(mine('&overdue=true'));
  expect(overdue.body).toMatchObject({ total: 1, items: [expect.objectContaining({ id: ivys.jobId, overdue: true })] });
  const all = (await ops().get(mine())).body.items;
  expect(all.find((job: { id: string }) => job.id === offer.jobId).overdue).toBe(false);
});

test('bad input is a 400 that names the field', async () => {
  for (const query of ['sort=id', 'status=lost', 'limit=0', 'cursor=nonsense', 'from=yesterday', 'from=0000-06-01T00:00:00Z', 'from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z', 'overdue=maybe']) {
    const answer = await ops().get(`/jobs?${query}`);
    expect({ query, status: answer.status }).toEqual({ query, status: 400 });
    expect(answer.body.errors?.length).toBeGreaterThan(0);
  }
});

test('an installer lists their own jobs and the open offers, never another installer\u2019s; a customer lists none', async () => {
  // The whole list (a page of it: other test files may share the database) holds nobody else's job.
  const everything = await api().as('installer').get('/jobs?limit=200');
  expect(everything.status).toBe(200);
  expect(ids(everything)).not.toContain(ians.jobId);
  for (const job of everything.body.items) expect(job.installerId === undefined || job.installerId === IVY).toBe(true);
  const ivy = await api().as('installer').get(`/jobs?customerId=${first.id}`);
  expect(ids(ivy)).toEqual([ivys.jobId, offer.jobId]);
  // The offer says what and where, not whose.
  const seen = ivy.body.items.find((job: { id: string }) => job.id === offer.jobId);
  expect(seen).toMatchObject({ address: `1 Offer Street ${tag}` });
  expect(seen).not.toHaveProperty('customerName');
  expect(ivy.body.items.find((job: { id: string }) => job.id === ivys.jobId)).toMatchObject({ customerName: first.name });

  // Asking for Ian's jobs, or Ian's customer, gives Ivy nothing of his.
  const asked = await api().as('installer').get(`/jobs?installer=${IAN}`);
  expect(asked.body).toMatchObject({ items: [], total: 0 });
  const theirs = await api().as('installer').get(`/jobs?customerId=${second.id}`);
  expect(theirs.body).toMatchObject({ items: [], total: 0 });
  expect(JSON.stringify(theirs.body)).not.toContain(ians.jobId);
  expect(ids(await api().as('installer2').get(`/jobs?customerId=${second.id}`))).toEqual([ians.jobId]);
  expect(ids(await api().as('installer').get('/jobs?installer=me&limit=200'))).not.toContain(offer.jobId);

  const customer = await api().as('customer').get('/jobs');
  expect(customer.status).toBe(403);
  expect((await api().request('GET', '/jobs')).status).toBe(401);
});

test('sorting by customer tells an installer no name of an offer: not in a cursor, not by probing with one', async () => {
  const cursor = (parts: string[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');
  const decoded = (text: string) => Buffer.from(text, 'base64url').toString('utf8');
  // Probing: offers after a made-up name. Were the offer's customer name the sort value, "A"
  // (before "Zed") would keep it and "Zed … zzz" (after it) would not: its name, a letter at a time.
  const after = async (name: string) => ids(await api().as('installer').get(`/jobs?customerId=${first.id}&installer=none&sort=customer&cursor=${cursor([name, ''])}`));
  expect(await after('A')).toEqual(await after(`${first.name} zzz`));
  // Paging: no cursor an installer gets carries the name of a customer whose job is not theirs.
  let next: string | null = null;
  do {
    const answer: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await api()
      .as('installer')
      .get(`/jobs?customerId=${first.id}&sort=customer&limit=1${next ? `&cursor=${next}` : ''}`);
    expect(answer.status).toBe(200);
    next = answer.body.nextCursor;
    if (next && answer.body.items[0]?.id === offer.jobId) expect(decoded(next)).not.toContain(first.name);
  } while (next);
  // The office still sorts and pages by the real name.
  expect(ids(await ops().get(`/jobs?customerId=${first.id}&installer=none&sort=customer&cursor=${cursor(['A', ''])}`))).toEqual([offer.jobId]);
});

test('the tasks list carries each task\u2019s project title, customer, site and job, so the inbox needs one request', async () => {
  // By project: with PostgreSQL the test files share one database, and Ivy has others' tasks too.
  const staff = await ops().get(`/tasks?status=open&type=audit_checklist&projectId=${ivys.flow.projectId}`);
  expect(staff.status).toBe(200);
  expect(staff.body.items.find((task: { jobId?: string }) => task.jobId === ivys.jobId)).toMatchObject({
    projectTitle: `Jobs list 2 Ivy Street ${tag}`,
    customerName: first.name,
    siteAddress: `2 Ivy Street ${tag}`,
    job: { type: 'audit', sequence: 1, status: 'open', installerId: IVY, scheduledStart: yesterday.toISOString() },
  });
  // An installer reads their own job's tasks and the offers', with the place and the job, not the customer's name.
  const ivy = await api().as('installer').get(`/tasks?status=open&projectId=${ivys.flow.projectId}`);
  const own = ivy.body.items.find((task: { jobId?: string }) => task.jobId === ivys.jobId);
  expect(own).toMatchObject({ siteAddress: `2 Ivy Street ${tag}`, job: { type: 'audit', installerId: IVY } });
  expect(own).not.toHaveProperty('customerName');
  const offers = await api().as('installer').get(`/tasks?status=open&projectId=${offer.flow.projectId}`);
  const offered = offers.body.items.find((task: { jobId?: string }) => task.jobId === offer.jobId);
  expect(offered).toMatchObject({ type: 'accept_schedule_job', projectTitle: `Jobs list 1 Offer Street ${tag}`, job: { type: 'audit', status: 'open' } });
  expect(offered.job).not.toHaveProperty('installerId');
  expect(offered.job).not.toHaveProperty('scheduledStart');
});
