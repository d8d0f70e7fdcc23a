// The office's search and lists over HTTP: typos and phone numbers found, the office's
// only; the projects list newest first by creation, sortable, counted and filtered.
// Every name here is new per run: the database may be shared with other test files.
import crypto from 'node:crypto';
import { startTestSystem, type TestSystem } from './support/system';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(() => system?.stop());

const ops = () => system.api.as('ops');

/** A surname nobody else has: eight random letters. */
const surname = () => {
  const letters = 'bcdfghjklmnprstvz';
  const vowels = 'aeiou';
  let word = '';
  for (let i = 0; i < 8; i++) word += (i % 2 ? vowels : letters)[crypto.randomInt(i % 2 ? vowels.length : letters.length)];
  return word.charAt(0).toUpperCase() + word.slice(1);
};
const digits = (n: number) => Array.from({ length: n }, () => crypto.randomInt(10)).join('');

async function customerWithProject(options: { name: string; phone?: string; email?: string; address: string; title: string }) {
  const customer = await ops().post('/customers', { name: options.name, ...(options.phone ? { phone: options.phone } : {}), ...(options.email ? { email: options.email } : {}) });
  expect(customer.status).toBe(201);
  const site = await ops().post(`/customers/${customer.body.id}/sites`, { address: options.address });
  expect(site.status).toBe(201);
  const project = await ops().post('/projects', { kind: 'service', customerId: customer.body.id, siteId: site.body.id, title: options.title });
  expect(project.status).toBe(201);
  return { customer: customer.body, site: site.body, project: project.body };
}

const search = async (q: string) => {
  const answer = await ops().get(`/search?q=${encodeURIComponent(q)}`);
  expect(answer.status).toBe(200);
  return answer.body as { projects: any[]; customers: any[]; sites: any[] };
};

describe('search', () => {
  const name = surname();
  const local = digits(8);
  let made: Awaited<ReturnType<typeof customerWithProject>>;
  beforeAll(async () => {
    made = await customerWithProject({
      name: `Margaret ${name}`,
      phone: `(04) ${local.slice(0, 4)}-${local.slice(4)}`,
      email: `m.${name.toLowerCase()}@example.test`,
      address: `${digits(3)} ${surname()} Crescent, Bendigo VIC`,
      title: `Battery ${surname()} fault`,
    });
  });

  test('a misspelt customer name finds the customer and their project', async () => {
    // One letter changed in the surname; then the first name misspelt too.
    const typo = `${name.slice(0, 5)}${name[5] === 'a' ? 'e' : 'a'}${name.slice(6)}`;
    const found = await search(typo);
    expect(found.customers.map((c) => c.id)).toContain(made.customer.id);
    expect(found.projects).toContainEqual(
      expect.objectContaining({ id: made.project.id, matched: 'customer', customerName: `Margaret ${name}`, siteAddress: made.site.address, customerStatus: expect.any(String) }),
    );
    expect((await search(`Margret ${typo}`)).customers.map((c) => c.id)).toContain(made.customer.id);
  });

  test('a phone number finds its customer whatever the spacing', async () => {
    for (const q of [`04${local}`, `04 ${local.slice(0, 4)} ${local.slice(4)}`, `${local.slice(2)}`]) {
      const found = await search(q);
      expect(found.customers).toContainEqual(expect.objectContaining({ id: made.customer.id, phone: made.customer.phone }));
      expect(found.projects.map((p) => p.id)).toContain(made.project.id);
    }
  });

  test('email, address with a typo, project title and project number', async () => {
    expect((await search(`${name.toLowerCase()}@example`)).customers.map((c) => c.id)).toContain(made.customer.id);
    const street = made.site.address.split(' ')[1] as string;
    const found = await search(`${street.slice(0, -1)}x Crescent`);
    expect(found.sites).toContainEqual({ id: made.site.id, customerId: made.customer.id, customerName: `Margaret ${name}`, address: made.site.address });
    expect(found.projects.map((p) => p.id)).toContain(made.project.id);
    const title = made.project.title as string;
    expect((await search(title.split(' ')[1])).projects).toContainEqual(expect.objectContaining({ id: made.project.id, matched: 'title' }));
    expect((await search(made.project.id)).projects[0]).toMatchObject({ id: made.project.id, matched: 'number' });
  });

  test('nothing for a word nobody has; a one-letter query is a 400 that says why', async () => {
    const none = await search(`Qwxz${digits(2)}vvkk`);
    expect(none).toEqual({ query: expect.any(String), projects: [], customers: [], sites: [] });
    const short = await ops().get('/search?q=a');
    expect(short.status).toBe(400);
    expect(short.headers.get('content-type')).toContain('application/problem+json');
    expect(short.body.errors).toEqual([expect.objectContaining({ path: 'q' })]);
  });

  test('two letters or wildcards alone match no names (every row would be a candidate); a project number still matches', async () => {
    for (const q of ['ab', '%%', '__']) {
      const answer = await ops().get(`/search?q=${encodeURIComponent(q)}`);
      expect({ q, status: answer.status, customers: answer.body.customers, sites: answer.body.sites }).toEqual({ q, status: 200, customers: [], sites: [] });
      expect(answer.body.projects.every((project: { matched: string }) => project.matched === 'number' || project.matched === 'job')).toBe(true);
    }
  });

  test('a typo in a project title finds it: the read model\u2019s own write adds the title\u2019s words', async () => {
    const word = (made.project.title as string).split(' ')[1];
    const typo = `${word.slice(0, 4)}${word[4] === 'o' ? 'u' : 'o'}${word.slice(5)}`;
    expect((await search(`battery ${typo}`)).projects).toContainEqual(expect.objectContaining({ id: made.project.id, matched: 'title' }));
  });

  test('renamed by PATCH: the new name is found at once, typo and all, and the old one finds nothing', async () => {
    const before = surname();
    const street = surname();
    const renamed = await customerWithProject({ name: `Rosalind ${before}`, address: `${digits(2)} ${street} Parade, Ballarat VIC`, title: 'Meter check' });
    const typoOf = (word: string) => `${word.slice(0, 5)}${word[5] === 'a' ? 'e' : 'a'}${word.slice(6)}`;
    expect((await search(typoOf(before))).customers.map((c) => c.id)).toContain(renamed.customer.id);
    expect((await search(`${street} Parade`)).sites.map((s) => s.id)).toContain(renamed.site.id);

    const after = surname();
    const newStreet = surname();
    const token = await system.api.login('ops@demo.test');
    const patch = (path: string, body: unknown) => system.api.request('PATCH', path, { body, headers: { Authorization: `Bearer ${token}` } });
    expect((await patch(`/customers/${renamed.customer.id}`, { name: `Rosalind ${after}` })).status).toBe(200);
    expect((await patch(`/sites/${renamed.site.id}`, { address: `${digits(2)} ${newStreet} Parade, Ballarat VIC` })).status).toBe(200);

    const found = await search(`Rosalynd ${typoOf(after)}`);
    expect(found.customers.map((c) => c.id)).toContain(renamed.customer.id);
    expect(found.projects).toContainEqual(expect.objectContaining({ id: renamed.project.id, matched: 'customer', customerName: `Rosalind ${after}` }));
    expect((await search(`${typoOf(newStreet)} Parade`)).sites.map((s) => s.id)).toContain(renamed.site.id);
    // The old words stay in the dictionary but no row has them any more.
    const old = await search(before);
    expect(old.customers.map((c) => c.id)).not.toContain(renamed.customer.id);
    expect(old.projects.map((p) => p.id)).not.toContain(renamed.project.id);
    expect((await search(`${street} Parade`)).sites.map((s) => s.id)).not.toContain(renamed.site.id);
  });

  test('words are runs of letters or digits: punctuation and case do not matter, numbers match exactly', async () => {
    const name = surname();
    const made = await customerWithProject({ name: `Siobhan O'${name}-Hart`, email: `s.o${name.toLowerCase()}@mail.example`, address: `Unit 4B/17 ${surname()} St, Geelong VIC`, title: 'Smoke alarm' });
    expect((await search(`o'${name.toUpperCase()} HART`)).customers.map((c) => c.id)).toContain(made.customer.id);
    expect((await search(`${name} hart`)).customers.map((c) => c.id)).toContain(made.customer.id);
    const street = made.site.address.split(' ')[2] as string;
    expect((await search(`4b 17 ${street}`)).sites.map((s) => s.id)).toContain(made.site.id);
    // Another house number is another house.
    expect((await search(`18 ${street}`)).sites.map((s) => s.id)).not.toContain(made.site.id);
  });

  test('installers and customers may not search the office\u2019s customers', async () => {
    for (const role of ['installer', 'customer']) {
      const answer = await system.api.as(role).get(`/search?q=${encodeURIComponent(name)}`);
      expect(answer.status).toBe(403);
      expect(JSON.stringify(answer.body)).not.toContain(name);
    }
  });
});

describe('the projects list', () => {
  test('a project created a moment ago is at the top, pages go back in time, and the total counts every match', async () => {
    const older = await customerWithProject({ name: `Ned ${surname()}`, address: `${digits(2)} ${surname()} Road`, title: 'Older' });
    for (const title of ['Old', 'Newer']) expect((await ops().post('/projects', { kind: 'service', customerId: older.customer.id, siteId: older.site.id, title })).status).toBe(201);
    const made = await customerWithProject({ name: `Ned ${surname()}`, address: `${digits(2)} ${surname()} Road`, title: 'Newest' });
    // Other test files may create projects at the same moment: ours is at the top, give or take theirs.
    const first = await ops().get('/projects?limit=10');
    expect(first.status).toBe(200);
    expect(first.body.items).toContainEqual(expect.objectContaining({ id: made.project.id, customerName: made.customer.name, siteAddress: made.site.address }));
    const times = first.body.items.map((p: { createdAt: string }) => Date.parse(p.createdAt));
    expect(times).toEqual([...times].sort((x, y) => y - x));
    expect(first.body.total).toBeGreaterThanOrEqual(4);

    const page1 = await ops().get(`/projects?customerId=${older.customer.id}&limit=2`);
    expect(page1.body).toMatchObject({ total: 3, items: [expect.objectContaining({ title: 'Newer' }), expect.objectContaining({ title: 'Old' })] });
    const page2 = await ops().get(`/projects?customerId=${older.customer.id}&limit=2&cursor=${page1.body.nextCursor}`);
    expect(page2.status).toBe(200);
    expect(page2.body).toMatchObject({ total: 3, items: [expect.objectContaining({ title: 'Older' })], nextCursor: null });
    const oldestFirst = await ops().get(`/projects?customerId=${older.customer.id}&order=asc`);
    expect(oldestFirst.body.items.map((p: { title: string }) => p.title)).toEqual(['Older', 'Old', 'Newer']);
  });

  test('filters by customer and site, sorts by title either way, and pages through the sort', async () => {
    const made = await customerWithProject({ name: `Olive ${surname()}`, address: `${digits(2)} ${surname()} Street`, title: 'Bravo' });
    const customerId = made.customer.id;
    for (const title of ['Charlie', 'Alpha']) expect((await ops().post('/projects', { kind: 'service', customerId, siteId: made.site.id, title })).status).toBe(201);
    const other = await ops().post(`/customers/${customerId}/sites`, { address: `${digits(2)} ${surname()} Lane` });
    const elsewhere = await ops().post('/projects', { kind: 'service', customerId, siteId: other.body.id, title: 'Delta' });

    const all = await ops().get(`/projects?customerId=${customerId}&sort=title`);
    expect(all.body.items.map((p: { title: string }) => p.title)).toEqual(['Alpha', 'Bravo', 'Charlie', 'Delta']);
    expect(all.body.total).toBe(4);
    const down = await ops().get(`/projects?customerId=${customerId}&sort=title&order=desc&limit=3`);
    expect(down.body.items.map((p: { title: string }) => p.title)).toEqual(['Delta', 'Charlie', 'Bravo']);
    const rest = await ops().get(`/projects?customerId=${customerId}&sort=title&order=desc&limit=3&cursor=${down.body.nextCursor}`);
    expect(rest.body).toMatchObject({ items: [expect.objectContaining({ title: 'Alpha' })], nextCursor: null, total: 4 });

    const site = await ops().get(`/projects?siteId=${other.body.id}`);
    expect(site.body).toMatchObject({ items: [expect.objectContaining({ id: elsewhere.body.id })], total: 1 });
    const byCustomerName = await ops().get(`/projects?customerId=${customerId}&sort=customer&limit=2`);
    expect(byCustomerName.body.items).toHaveLength(2);
  });

  test('assignee and overdue filters keep what they say; bad sorts and cursors are 400s', async () => {
    const mine = await ops().get('/projects?assignee=me&limit=20');
    expect(mine.status).toBe(200);
    // This file's projects wait on ops' service request, so the filter has something to keep.
    expect(mine.body.items.length).toBeGreaterThan(0);
    for (const project of mine.body.items) {
      expect(project.openTasks.some((task: { assignee?: string }) => ['usr_demo_ops', 'group:ops'].includes(task.assignee ?? ''))).toBe(true);
    }
    const overdue = await ops().get('/projects?overdue=true&limit=20');
    expect(overdue.status).toBe(200);
    for (const project of overdue.body.items) {
      expect(project.openTasks.some((task: { dueAt?: string }) => task.dueAt && Date.parse(task.dueAt) < Date.now())).toBe(true);
    }
    expect((await ops().get('/projects?sort=id')).status).toBe(400);
    expect((await ops().get('/projects?cursor=nonsense')).status).toBe(400);
    const forged = Buffer.from(JSON.stringify(["'; DROP TABLE projects; --", 'x'])).toString('base64url');
    expect((await ops().get(`/projects?cursor=${forged}`)).status).toBe(400);
    // A date that fits the pattern but does not exist, and a NUL, are 400s too (they reached the cast, a 500).
    for (const parts of [['2024-02-30 00:00:00', 'x'], ['2026-11-24 25:00:00', 'x']]) {
      expect((await ops().get(`/projects?cursor=${Buffer.from(JSON.stringify(parts)).toString('base64url')}`)).status).toBe(400);
    }
    expect((await ops().get(`/projects?sort=title&cursor=${Buffer.from(JSON.stringify(['a\u0000b', 'x'])).toString('base64url')}`)).status).toBe(400);
    // A quoted title in a title-sorted cursor is only a value: a page, not an error.
    expect((await ops().get(`/projects?sort=title&cursor=${Buffer.from(JSON.stringify(["'; DROP TABLE projects; --", 'x'])).toString('base64url')}`)).status).toBe(200);
    expect((await system.api.as('customer').get('/projects?assignee=me')).status).toBe(403);
  });
});

describe('the tasks list', () => {
  test('newest first by default, soonest due when asked, across pages, with the total', async () => {
    const made = await customerWithProject({ name: `Pia ${surname()}`, address: `${digits(2)} ${surname()} Way`, title: 'Tasks' });
    await customerWithProject({ name: `Pia ${surname()}`, address: `${digits(2)} ${surname()} Way`, title: 'More tasks' });
    const mine = await ops().get(`/tasks?projectId=${made.project.id}`);
    expect(mine.status).toBe(200);
    expect(mine.body.total).toBe(mine.body.items.length);
    expect(mine.body.items.length).toBeGreaterThanOrEqual(1);

    const newest = await ops().get('/tasks?status=open&limit=3');
    const created = newest.body.items.map((task: { createdAt: string }) => Date.parse(task.createdAt));
    expect(created).toEqual([...created].sort((a, b) => b - a));
    expect(newest.body.total).toBeGreaterThanOrEqual(2);

    const due = await ops().get('/tasks?status=open&sort=due&limit=2');
    const next = await ops().get(`/tasks?status=open&sort=due&limit=2&cursor=${due.body.nextCursor}`);
    expect(next.status).toBe(200);
    const times = [...due.body.items, ...next.body.items].map((task: { dueAt?: string }) => (task.dueAt ? Date.parse(task.dueAt) : Infinity));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set([...due.body.items, ...next.body.items].map((task: { id: string }) => task.id)).size).toBe(due.body.items.length + next.body.items.length);

    const overdue = await ops().get('/tasks?overdue=true');
    expect(overdue.status).toBe(200);
    for (const task of overdue.body.items) expect(task).toMatchObject({ status: 'open', dueAt: expect.any(String) });
    for (const task of overdue.body.items) expect(Date.parse(task.dueAt)).toBeLessThan(Date.now());
    expect((await ops().get('/tasks?sort=title')).status).toBe(400);
  });
});
