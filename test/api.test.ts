// The HTTP contract: errors as problem+json that change nothing, idempotency, webhook
// signatures, documents, lists, docs and health.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { Flow, sign, webhookHeaders } from './support/flows';
import { startTestSystem, WEBHOOK_SECRET, type TestSystem } from './support/system';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem({ MAX_UPLOAD_BYTES: '4096' });
});
afterAll(() => system?.stop());

const api = () => system.api;
const timelineOf = async (projectId: string) => (await api().as('ops').get(`/projects/${projectId}/timeline`)).body.items;
const expectProblem = (answer: { status: number; headers: Headers; body: any }, status: number) => {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toContain('application/problem+json');
  expect(answer.body).toMatchObject({ status, title: expect.any(String), type: expect.any(String) });
};

describe('authentication', () => {
  test('401 without a token, with a bad token, and for a wrong password', async () => {
    expectProblem(await api().request('GET', '/projects'), 401);
    expectProblem(await api().request('GET', '/projects', { headers: { Authorization: 'Bearer nonsense' } }), 401);
    expectProblem(await api().request('POST', '/auth/login', { body: { email: 'ops@demo.test', password: 'wrong' } }), 401);
  });

  test('login answers a token and the user with its role', async () => {
    const answer = await api().request('POST', '/auth/login', { body: { email: 'customer@demo.test', password: 'demo' } });
    expect(answer.status).toBe(200);
    expect(answer.body.user).toEqual({ id: 'usr_demo_customer', role: 'customer', name: expect.any(String), customerId: 'cus_demo' });
  });
});

describe('completing tasks', () => {
  test('400 for a payload that does not fit: field errors, nothing changed', async () => {
    const flow = await Flow.create(api());
    const task = await flow.openTask('service_request');
    const before = await timelineOf(flow.projectId);
    const answer = await api().as('ops').post(`/tasks/${task.id}/complete`, { resolution: 'site_visit' });
    expectProblem(answer, 400);
    expect(answer.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'jobType' }), expect.objectContaining({ path: 'description' })]));
    expect((await flow.openTask('service_request')).status).toBe('open');
    expect(await timelineOf(flow.projectId)).toEqual(before);
  });

  test('403 when an installer completes a console task; 404 for an unknown task; 409 when done', async () => {
    const flow = await Flow.create(api());
    const task = await flow.openTask('service_request');
    expectProblem(await api().as('installer').post(`/tasks/${task.id}/complete`, { description: 'x', resolution: 'internal' }), 403);
    expectProblem(await api().as('customer').post(`/tasks/${task.id}/complete`, { description: 'x', resolution: 'internal' }), 403);
    expectProblem(await api().as('ops').post('/tasks/no-such-task/complete', {}), 404);
    await flow.complete('service_request', { description: 'x', resolution: 'internal' });
    const again = await api().as('ops').post(`/tasks/${task.id}/complete`, { description: 'x', resolution: 'internal' });
    expectProblem(again, 409);
    expect((await flow.project()).openTasks.map((t: { type: string }) => t.type)).toEqual(['internal_review']);
  });

  test('the same Idempotency-Key five times at once has one effect', async () => {
    const flow = await Flow.create(api());
    const task = await flow.openTask('service_request');
    const key = crypto.randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        api().as('ops').post(`/tasks/${task.id}/complete`, { description: 'Fan noise', resolution: 'manufacturer' }, { 'Idempotency-Key': key }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    for (const answer of answers) expect(answer.body.task).toEqual(answers[0].body.task);
    const timeline = await timelineOf(flow.projectId);
    expect(timeline.filter((entry: { kind: string }) => entry.kind === 'task')).toHaveLength(1);
    expect(timeline.filter((entry: { summary: string }) => entry.summary.includes('→ investigating'))).toHaveLength(1);
    const project = await flow.project();
    expect(project.openTasks.map((t: { type: string }) => t.type)).toEqual(['manufacturer_outcome']);
    // The same key again, after the task is done (a client retrying a lost answer),
    // gets the first answer; a new key for the task already done is a conflict.
    const retried = await api().as('ops').post(`/tasks/${task.id}/complete`, { description: 'Fan noise', resolution: 'manufacturer' }, { 'Idempotency-Key': key });
    expect(retried.status).toBe(200);
    expect(retried.body.task).toEqual(answers[0].body.task);
    expectProblem(await api().as('ops').post(`/tasks/${task.id}/complete`, { description: 'Fan noise', resolution: 'manufacturer' }, { 'Idempotency-Key': 'other' }), 409);
  });

  test('a keyed retry of the completion that closed the project gets the first answer', async () => {
    const flow = await Flow.create(api());
    const task = await flow.openTask('service_request');
    const key = crypto.randomUUID();
    const body = { description: 'Duplicate', resolution: 'not_required' };
    const first = await api().as('ops').post(`/tasks/${task.id}/complete`, body, { 'Idempotency-Key': key });
    expect(first.status).toBe(200);
    expect(first.body.project).toMatchObject({ stage: 'closed', status: 'cancelled' });
    const retried = await api().as('ops').post(`/tasks/${task.id}/complete`, body, { 'Idempotency-Key': key });
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual(first.body);
  });

  test('creating a project twice with one Idempotency-Key makes one project', async () => {
    const key = crypto.randomUUID();
    const body = { kind: 'service', customerId: 'cus_demo', siteId: 'sit_demo', title: 'Once' };
    const [first, second] = await Promise.all([0, 1].map(() => api().as('ops').post('/projects', body, { 'Idempotency-Key': key })));
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.openTasks).toHaveLength(1);
  });

  test('documents named in a payload must belong to the project', async () => {
    const flow = await Flow.create(api());
    const other = await Flow.create(api());
    const foreign = await other.uploadDocument('other.pdf', '%PDF other');
    await flow.complete('service_request', { description: 'x', resolution: 'site_visit', jobType: 'replacement' });
    await flow.complete('confirm_job');
    await flow.complete('accept_schedule_job', { scheduledStart: '2026-12-02T08:00:00Z' }, 'installer');
    await flow.fillProtocol();
    await flow.complete('pre_start_checklist', {}, 'installer');
    await flow.complete('testing_commissioning', {}, 'installer');
    await flow.complete('review_replacement_artefacts');
    await flow.complete('update_asset_serials', { assets: [{ make: 'A', model: 'B', serial: 'C' }] });
    const task = await flow.openTask('upload_regulatory_documents');
    const answer = await api().as('ops').post(`/tasks/${task.id}/complete`, { documentIds: [foreign.id] });
    expectProblem(answer, 400);
    expect(answer.body.errors).toEqual([{ path: 'documentIds.0', message: expect.stringContaining(foreign.id) }]);
    expectProblem(await api().as('ops').post(`/tasks/${task.id}/complete`, { documentIds: [] }), 400);
  });
});

describe('projects and lists', () => {
  test('bad bodies are 400 with field errors; unknown projects 404', async () => {
    expectProblem(await api().as('ops').post('/projects', { kind: 'service', customerId: 'cus_demo' }), 400);
    const unknownSite = await api().as('ops').post('/projects', { kind: 'service', customerId: 'cus_demo', siteId: 'nope' });
    expectProblem(unknownSite, 400);
    expect(unknownSite.body.errors).toEqual([expect.objectContaining({ path: 'siteId' })]);
    expectProblem(await api().as('installer').post('/projects', { kind: 'service', customerId: 'cus_demo', siteId: 'sit_demo' }), 403);
    expectProblem(await api().as('ops').get('/projects/prj_unknown'), 404);
  });

  test('customers and sites: NMI checked with its NEM12 checksum', async () => {
    const customer = await api().as('ops').post('/customers', { name: 'Harbour Cafe', email: 'owner@harbour.test' });
    expect(customer.status).toBe(201);
    expectProblem(await api().as('ops').post('/customers', { name: '' }), 400);
    const good = await api().as('ops').post(`/customers/${customer.body.id}/sites`, { address: '2 Pier Rd', phases: 3, nmi: '20019857328' });
    expect(good.status).toBe(201);
    const bad = await api().as('ops').post(`/customers/${customer.body.id}/sites`, { address: '2 Pier Rd', nmi: '20019857321' });
    expectProblem(bad, 400);
    expect(bad.body.errors).toEqual([{ path: 'nmi', message: expect.stringContaining('checksum') }]);
    expectProblem(await api().as('ops').post(`/customers/${customer.body.id}/sites`, { address: '2 Pier Rd', phases: 4 }), 400);
    expectProblem(await api().as('ops').post('/customers/cus_none/sites', { address: 'x' }), 404);

    const flow = await Flow.create(api(), 'Cafe inverter', customer.body.id, good.body.id);
    // A customer sees their own cases and nobody else's.
    expect((await api().as('customer').get(`/projects/${flow.projectId}`)).status).toBe(403);
    const own = await Flow.create(api(), 'Mine');
    expect((await api().as('customer').get(`/projects/${own.projectId}`)).status).toBe(200);
    const listed = (await api().as('customer').get('/projects?limit=200')).body.items;
    expect(listed.every((project: { customerId: string }) => project.customerId === 'cus_demo')).toBe(true);
  });

  test('lists filter and page with a cursor', async () => {
    const flows = await Promise.all([0, 1, 2].map(() => Flow.create(api(), 'Paging')));
    const ids = new Set(flows.map((flow) => flow.projectId));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = (await api().as('ops').get(`/projects?stage=requesting&kind=service&limit=2${cursor ? `&cursor=${cursor}` : ''}`)).body;
      expect(page.items.length).toBeLessThanOrEqual(2);
      for (const project of page.items) {
        expect(project.stage).toBe('requesting');
        seen.push(project.id);
      }
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of ids) expect(seen).toContain(id);
    expectProblem(await api().as('ops').get('/projects?cursor=garbage'), 400);
    expectProblem(await api().as('ops').get('/projects?limit=100000'), 400);
  });

  test('my open tasks: an installer sees their own work and the open offers, ops sees the console tasks', async () => {
    const flow = await Flow.create(api());
    await flow.complete('service_request', { description: 'x', resolution: 'site_visit', jobType: 'audit' });
    await flow.complete('confirm_job');
    // The job is an offer to every installer, and only its accept task shows.
    for (const installer of ['installer', 'installer2']) {
      const offers = (await api().as(installer).get('/tasks?assignee=me&status=open&limit=200')).body.items;
      expect(offers.filter((task: { projectId: string }) => task.projectId === flow.projectId).map((task: { type: string }) => task.type)).toEqual(['accept_schedule_job']);
    }
    await flow.complete('accept_schedule_job', { scheduledStart: '2026-12-01T09:00:00+10:30' }, 'installer');
    const mine = (await api().as('installer').get('/tasks?assignee=me&status=open&limit=200')).body.items;
    expect(mine.every((task: { assignee: string }) => ['usr_demo_installer', 'group:installer'].includes(task.assignee))).toBe(true);
    expect(mine.map((task: { projectId: string; type: string }) => `${task.projectId}:${task.type}`)).toContain(`${flow.projectId}:audit_checklist`);
    // Once taken, the job is not the other installer's: no tasks, no project, no completing.
    const theirs = (await api().as('installer2').get(`/tasks?projectId=${flow.projectId}&limit=200`)).body.items;
    expect(theirs).toEqual([]);
    expectProblem(await api().as('installer2').get(`/projects/${flow.projectId}`), 403);
    const checklist = await flow.openTask('audit_checklist');
    expectProblem(await api().as('installer2').post(`/tasks/${checklist.id}/complete`, { answers: {} }), 403);
    const ops = (await api().as('ops').get('/tasks?assignee=me&status=open&limit=200')).body.items;
    expect(ops.every((task: { assignee: string }) => task.assignee === 'group:ops' || task.assignee === 'usr_demo_ops')).toBe(true);
    expectProblem(await api().as('customer').get('/tasks'), 403);
  });

  test('temporal workflow list finds a project by its ProjectStage search attribute', async () => {
    const flow = await Flow.create(api(), 'Findable');
    await flow.complete('service_request', { description: 'x', resolution: 'site_visit', jobType: 'audit' });
    const cli = process.env.FIELDFLOW_TEST_TEMPORAL_CLI ?? process.env.TEMPORAL_CLI_PATH ?? 'temporal';
    const address = process.env.TEMPORAL_ADDRESS!;
    const deadline = Date.now() + 10_000;
    let stdout = '';
    // Visibility is eventually consistent; give it a moment.
    while (!stdout.includes(flow.projectId) && Date.now() < deadline) {
      ({ stdout } = await promisify(execFile)(cli, ['workflow', 'list', '--address', address, '--query', 'ProjectStage="servicing"', '-o', 'json']));
      if (!stdout.includes(flow.projectId)) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(stdout).toContain(`service-${flow.projectId}`);
  });
});

describe('webhooks', () => {
  test('a bad signature is 401 and changes nothing', async () => {
    const flow = await Flow.create(api());
    await flow.complete('service_request', { description: 'x', resolution: 'manufacturer' });
    const before = { project: await flow.project(), timeline: await timelineOf(flow.projectId) };
    const other = `whsec_${Buffer.from('not-the-secret-at-all').toString('base64')}`;
    expectProblem(await flow.sendManufacturerEvent(other, { outcome: 'resolved' }), 401);
    expectProblem(await flow.sendManufacturerEvent(WEBHOOK_SECRET, { outcome: 'resolved' }, { 'webhook-signature': '' }), 401);
    // The older X-Signature works in the embedded mode only; tests run as production does.
    const raw = JSON.stringify({ type: 'manufacturer.outcome', projectId: flow.projectId, outcome: 'resolved' });
    expectProblem(await api().request('POST', '/events/manufacturer', { raw, headers: { 'X-Signature': sign('fieldflow-dev-webhook-secret', raw) } }), 401);
    // Give a wrongly accepted signal time to show before asserting it did nothing.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect({ project: await flow.project(), timeline: await timelineOf(flow.projectId) }).toEqual(before);
  });

  test('signed but invalid events are 400; unknown projects 404; unknown sources 404', async () => {
    const flow = await Flow.create(api());
    expectProblem(await flow.sendManufacturerEvent(WEBHOOK_SECRET, { outcome: 'site_visit_required' }), 400);
    const raw = JSON.stringify({ type: 'manufacturer.outcome', projectId: 'prj_none', outcome: 'resolved' });
    expectProblem(await api().request('POST', '/events/manufacturer', { raw, headers: webhookHeaders(WEBHOOK_SECRET, raw) }), 404);
    expectProblem(await api().request('POST', '/events/nobody', { raw, headers: webhookHeaders(WEBHOOK_SECRET, raw) }), 404);
  });
});

describe('documents', () => {
  test('upload, then download the same bytes with their type and sha256', async () => {
    const flow = await Flow.create(api());
    const content = '%PDF-1.4 test document ' + crypto.randomUUID();
    const stored = await flow.uploadDocument('report.pdf', content);
    expect(stored).toMatchObject({ name: 'report.pdf', size: Buffer.byteLength(content), contentType: 'application/pdf' });
    expect(stored.sha256).toBe(crypto.createHash('sha256').update(content).digest('hex'));
    const token = await api().login('ops@demo.test');
    const response = await fetch(`${api().baseUrl}/documents/${stored.id}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(await response.text()).toBe(content);
    expectProblem(await api().as('ops').get('/documents/doc_none'), 404);
  });

  test('413 above the size limit, 400 without a file', async () => {
    const flow = await Flow.create(api());
    const token = await api().login('ops@demo.test');
    const form = new FormData();
    form.append('file', new Blob(['x'.repeat(5000)]), 'big.bin');
    expectProblem(await api().request('POST', `/projects/${flow.projectId}/documents`, { raw: form, headers: { Authorization: `Bearer ${token}` } }), 413);
    expectProblem(await api().request('POST', `/projects/${flow.projectId}/documents`, { raw: new FormData(), headers: { Authorization: `Bearer ${token}` } }), 400);
  });
});

describe('hostile input (cases Schemathesis found)', () => {
  test('a template version beyond a PostgreSQL integer is a 400, not a failed query', async () => {
    expectProblem(await api().as('ops').get('/checklist-templates/audit_checklist?version=9007199254740990'), 400);
    expectProblem(await api().as('ops').get('/checklist-templates/audit_checklist?version=2147483648'), 400);
    expect((await api().as('ops').get('/checklist-templates/audit_checklist?version=1')).status).toBe(200);
  });

  test('a multipart body the parser cannot read is a 400; a file of an unknown type a 415', async () => {
    const flow = await Flow.create(api());
    const token = await api().login('ops@demo.test');
    const upload = (raw: string | FormData, contentType?: string) =>
      api().request('POST', `/projects/${flow.projectId}/documents`, { raw, headers: { Authorization: `Bearer ${token}`, ...(contentType ? { 'content-type': contentType } : {}) } });
    expectProblem(await upload('', 'multipart/form-data'), 400);
    const boundary = 'b0undary';
    const broken = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nbroken header without a colon\r\n\r\nhello\r\n--${boundary}--\r\n`;
    const answer = await upload(broken, `multipart/form-data; boundary=${boundary}`);
    expectProblem(answer, 400);
    expect(answer.body.detail).toContain('multipart');
    const zip = new FormData();
    zip.append('file', new Blob([Buffer.from('504b0304140000000000', 'hex')]), 'file.zip');
    expectProblem(await upload(zip), 415);
    expect((await api().as('ops').get(`/projects/${flow.projectId}/documents`)).body.items).toEqual([]);
  });

  test("a customer's email within RFC 5321's limits: 64 characters before the @, 63 per label", async () => {
    const name = `Email limits ${crypto.randomUUID()}`;
    const longLocal = `${'a'.repeat(65)}@example.test`;
    const longLabel = `x@${'b'.repeat(64)}.test`;
    for (const email of [longLocal, longLabel, 'x@-dash.test']) expectProblem(await api().as('ops').post('/customers', { name, email }), 400);
    const ok = await api().as('ops').post('/customers', { name, email: `${'a'.repeat(64)}@example.test` });
    expect(ok.status).toBe(201);
    expect((await api().as('ops').get(`/customers/${ok.body.id}`)).body.email).toBe(`${'a'.repeat(64)}@example.test`);
  });

  test('login takes an email and a password of at most 200 characters: anything else is a 400', async () => {
    const login = (body: unknown) => api().request('POST', '/auth/login', { body });
    expectProblem(await login({ email: 'not an email', password: 'demo' }), 400);
    expectProblem(await login({ email: 'ops@demo.test', password: '' }), 400);
    expectProblem(await login({ email: 'ops@demo.test', password: 'x'.repeat(201) }), 400);
    expectProblem(await login({ email: `nobody-${crypto.randomUUID()}@demo.test`, password: 'x'.repeat(200) }), 401);
    expect((await login({ email: 'OPS@demo.test', password: 'demo' })).status).toBe(200);
  });

  test("the document's links point at its own operations and their parameters", async () => {
    const spec = (await api().request('GET', '/openapi.json')).body;
    const operationAt = (ref: string) => {
      const [, pointer, method] = /^#\/paths\/(.+)\/(\w+)$/.exec(ref)!;
      const path = decodeURIComponent(pointer).replaceAll('~1', '/').replaceAll('~0', '~');
      return { path, method, operation: spec.paths[path]?.[method] };
    };
    const seen = new Set<string>();
    for (const [path, methods] of Object.entries<Record<string, any>>(spec.paths)) {
      for (const [method, operation] of Object.entries<any>(methods)) {
        for (const [status, response] of Object.entries<any>(operation.responses)) {
          for (const [name, link] of Object.entries<any>(response.links ?? {})) {
            const target = operationAt(link.operationRef);
            expect({ link: `${method} ${path} ${status} ${name}`, found: Boolean(target.operation) }).toEqual({ link: `${method} ${path} ${status} ${name}`, found: true });
            const names = (target.operation.parameters ?? []).map((parameter: { name: string }) => parameter.name);
            for (const parameter of Object.keys(link.parameters ?? {})) expect(names).toContain(parameter);
            if (link.requestBody) expect(target.operation.requestBody).toBeDefined();
            seen.add(`${method} ${path} -> ${target.method} ${target.path}`);
          }
        }
      }
    }
    // The chain a stateful run follows: a customer, its site, a project, its tasks, their jobs.
    expect([...seen]).toEqual(
      expect.arrayContaining([
        'post /customers -> post /customers/{id}/sites',
        'post /customers/{id}/sites -> post /projects',
        'post /projects -> post /tasks/{id}/complete',
        'post /tasks/{id}/complete -> post /tasks/{id}/complete',
        'post /tasks/{id}/complete -> post /jobs/{id}/trips',
        'post /jobs/{id}/trips -> post /jobs/{id}/trips/{tripId}/start',
      ]),
    );
    // What the API answers besides success is declared, so clients and Schemathesis expect it.
    expect(Object.keys(spec.paths['/auth/login'].post.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '429']));
    expect(Object.keys(spec.paths['/projects/{id}/documents'].post.responses)).toEqual(expect.arrayContaining(['201', '413', '415', '429']));
    expect(Object.keys(spec.paths['/projects'].post.responses)).toContain('422');
    expect(spec.components.schemas.LoginBody.properties.password).toMatchObject({ minLength: 1, maxLength: 200 });
    // Closing a job answers its reason too; a finished job's lines cannot be removed (409).
    expect(spec.paths['/jobs/{id}/close'].post.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/ClosedJob');
    expect(spec.components.schemas.ClosedJob.properties).toHaveProperty('reason');
    for (const line of ['materials/{lineId}', 'work/{lineId}', 'attachments/{documentId}']) expect(spec.paths[`/jobs/{id}/protocol/${line}`].delete.responses).toHaveProperty('409');
  });
});

describe('console support', () => {
  test('task types with their payload JSON Schemas', async () => {
    const { items } = (await api().as('ops').get('/task-types')).body;
    const request = items.find((item: { type: string }) => item.type === 'service_request');
    expect(request).toMatchObject({ title: 'Service request', group: 'ops', roles: expect.arrayContaining(['ops']) });
    expect(JSON.stringify(request.schema)).toContain('site_visit');
    const schedule = items.find((item: { type: string }) => item.type === 'accept_schedule_job');
    expect(schedule.schema.required).toContain('scheduledStart');
    expect((await api().request('GET', '/task-types')).status).toBe(401);
  });

  test('the stream tells a listener about a change within a moment', async () => {
    const flow = await Flow.create(api());
    const { ticket } = (await api().as('ops').post('/stream/tickets')).body;
    const controller = new AbortController();
    const response = await fetch(`${api().baseUrl}/stream?projectId=${flow.projectId}&ticket=${ticket}`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const received = (async () => {
      let text = '';
      while (!text.includes('event: change')) text += new TextDecoder().decode((await reader.read()).value);
      return text;
    })();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await flow.complete('service_request', { description: 'x', resolution: 'internal' });
    const text = await received;
    expect(Date.now() - started).toBeLessThan(1000);
    const notice = JSON.parse(text.split('event: change\ndata: ')[1].split('\n')[0]);
    expect(notice).toMatchObject({ projectId: flow.projectId, stage: 'investigating' });
    controller.abort();
    expect((await fetch(`${api().baseUrl}/stream`)).status).toBe(401);
    // A bearer token is no ticket, and a ticket is no bearer token.
    const token = await api().login('ops@demo.test');
    expect((await fetch(`${api().baseUrl}/stream?ticket=${token}`)).status).toBe(401);
    expect((await api().request('GET', '/projects', { headers: { Authorization: `Bearer ${ticket}` } })).status).toBe(401);
  });
});

describe('service routes', () => {
  test('health, readiness, OpenAPI and the docs with local assets', async () => {
    expect((await api().request('GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect((await api().request('GET', '/readyz')).body).toEqual({ status: 'ready', database: 'ok', temporal: 'ok' });
    const spec = (await api().request('GET', '/openapi.json')).body;
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/projects', '/tasks/{id}/complete', '/events/{source}', '/projects/{id}/documents']));
    expect(spec.components.schemas.Project.properties).toHaveProperty('openTasks');
    const docs = await api().request('GET', '/docs/');
    expect(docs.status).toBe(200);
    expect(docs.body).toContain('swagger-ui');
    const asset = await api().request('GET', '/docs/swagger-ui-bundle.js');
    expect(asset.status).toBe(200);
    expect(String(asset.body).length).toBeGreaterThan(100_000);
  });
});
