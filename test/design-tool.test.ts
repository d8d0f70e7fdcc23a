// The design tool adapter: the HTTP client against the stand-in over real HTTP, how its
// failures are classified for Temporal's retries, and the stand-in's webhooks arriving
// signed with the design source's secret. No Temporal here.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { Webhook } from 'standardwebhooks';
import {
  createDesignActivities,
  createDesignToolClient,
  createDesignToolStandIn,
  DesignFailure,
  DesignToolRejected,
  DesignToolUnavailable,
  type DesignTool,
  type DesignToolStandIn,
} from '../activities/design';
import { loadConfig } from '../runtime/config';
import { freePort } from '../runtime/temporal-dev-server';
import { DESIGN_WEBHOOK_SECRET, WEBHOOK_SECRET } from './support/system';

const API_KEY = 'test-design-api-key';

/** A tiny Fieldflow stand-in for `/events/design`: records raw deliveries, answers what it is told. */
interface Receiver {
  url: string;
  received: { headers: http.IncomingHttpHeaders; body: string }[];
  answers: number[];
  close(): Promise<void>;
}
async function startReceiver(): Promise<Receiver> {
  const receiver = { received: [], answers: [] } as unknown as Receiver;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      receiver.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(receiver.answers.shift() ?? 202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events/design`;
  receiver.close = () => new Promise<void>((resolve) => (server.close(() => resolve()), server.closeAllConnections()));
  return receiver;
}

let standIn: DesignToolStandIn;
let receiver: Receiver;
let tool: DesignTool;

const control = async (path: string, body: unknown = {}) => {
  const response = await fetch(standIn.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any };
};
const calls = async () => ((await (await fetch(`${standIn.url}/_calls`)).json()) as { items: { method: string; path: string; status?: number }[] }).items;
const rejection = (promise: Promise<unknown>) => promise.then(() => undefined, (err: unknown) => err);

beforeAll(async () => {
  receiver = await startReceiver();
  standIn = await createDesignToolStandIn({ webhookUrl: receiver.url, webhookSecret: DESIGN_WEBHOOK_SECRET, port: 0, apiKey: API_KEY, retryDelaysMs: [50, 100] });
  tool = createDesignToolClient({ baseUrl: standIn.url, apiKey: API_KEY, timeoutMs: 2000 });
});
afterAll(async () => {
  await standIn?.close();
  await receiver?.close();
});
beforeEach(() => {
  receiver.received.length = 0;
  receiver.answers.length = 0;
});

describe('the client against the stand-in', () => {
  test('creates a linked project once per Fieldflow project, lists its proposals, archives it idempotently', async () => {
    const link = await tool.createProject({ projectId: 'prj_create', customerName: 'Ada Lovelace', siteAddress: '1 Analytical St, Adelaide' });
    expect(link).toEqual({ designProjectId: expect.any(String), url: `${standIn.url}/#${link.designProjectId}` });
    // A retried activity asks again and gets the same project, not a second one.
    expect(await tool.createProject({ projectId: 'prj_create', customerName: 'Ada Lovelace', siteAddress: '1 Analytical St, Adelaide' })).toEqual(link);
    expect(standIn.projects().filter((project) => project.externalId === 'prj_create')).toHaveLength(1);

    expect(await tool.listProposals(link.designProjectId)).toEqual([]);
    const added = await control(`/_control/projects/${link.designProjectId}/proposals`, { title: '6.6 kW + battery', amount: 1_250_000, currency: 'AUD' });
    expect(added.status).toBe(201);
    await control(`/_control/proposals/${added.body.proposal.id}`, { amount: 1_300_000 });
    expect(await tool.listProposals(link.designProjectId)).toEqual([
      { id: added.body.proposal.id, title: '6.6 kW + battery', status: 'draft', price: { amount: 1_300_000, currency: 'AUD' }, updatedAt: expect.any(String) },
    ]);

    await tool.archiveProject(link.designProjectId);
    await tool.archiveProject(link.designProjectId);
    expect(standIn.projects().find((project) => project.id === link.designProjectId)?.status).toBe('archived');
    const archives = (await calls()).filter((call) => call.method === 'POST' && call.path === `/v1/projects/${link.designProjectId}/archive`);
    expect(archives).toEqual([expect.objectContaining({ status: 200 }), expect.objectContaining({ status: 200 })]);
    // A project the tool no longer knows has nothing left to archive.
    await expect(tool.archiveProject('dp_unknown')).resolves.toBeUndefined();
  });

  test('a 4xx will not heal: DesignToolRejected, and the activity fails non-retryably', async () => {
    const unknown = await rejection(tool.listProposals('dp_unknown'));
    expect(unknown).toBeInstanceOf(DesignToolRejected);
    expect(unknown).toMatchObject({ status: 404, retryable: false });

    const badKey = await rejection(createDesignToolClient({ baseUrl: standIn.url, apiKey: 'wrong' }).listProposals('dp_any'));
    expect(badKey).toBeInstanceOf(DesignToolRejected);
    expect(badKey).toMatchObject({ status: 401 });
    expect((badKey as Error).message).not.toContain('wrong'); // no key in messages or logs

    await control('/_control/faults', { status: 422, path: '/v1/projects' });
    expect(await rejection(tool.createProject({ projectId: 'prj_4xx', customerName: 'C', siteAddress: 'S' }))).toMatchObject({ status: 422, retryable: false });

    const activities = createDesignActivities({ designTool: tool });
    const failure = await rejection(activities.syncDesignProposals({ designProjectId: 'dp_unknown' }));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: DesignFailure.Rejected, nonRetryable: true });
  });

  test('5xx, no connection and no answer in time may heal: DesignToolUnavailable, and the activity retries', async () => {
    const link = await tool.createProject({ projectId: 'prj_5xx', customerName: 'Grace Hopper', siteAddress: '2 Compiler Rd' });
    await control('/_control/faults', { status: 503, count: 2 });
    const first = await rejection(tool.listProposals(link.designProjectId));
    expect(first).toBeInstanceOf(DesignToolUnavailable);
    expect(first).toMatchObject({ status: 503, retryable: true });
    const activities = createDesignActivities({ designTool: tool });
    const failure = await rejection(activities.archiveDesignProject({ designProjectId: link.designProjectId }));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: DesignFailure.Unavailable, nonRetryable: false });
    // The fault is used up: the next attempt works, as a retry would.
    await expect(activities.archiveDesignProject({ designProjectId: link.designProjectId })).resolves.toBeUndefined();

    const closedPort = await freePort();
    const unreachable = await rejection(createDesignToolClient({ baseUrl: `http://127.0.0.1:${closedPort}`, apiKey: API_KEY }).listProposals('dp_any'));
    expect(unreachable).toBeInstanceOf(DesignToolUnavailable);
    expect((unreachable as Error).message).toMatch(/cannot reach/);

    await control('/_control/faults', { delayMs: 1000 });
    const slow = await rejection(createDesignToolClient({ baseUrl: standIn.url, apiKey: API_KEY, timeoutMs: 200 }).listProposals(link.designProjectId));
    expect(slow).toBeInstanceOf(DesignToolUnavailable);
    expect((slow as Error).message).toMatch(/no answer within 200 ms/);
  });

  test('an answer that does not fit the wire format will not heal', async () => {
    const fetchStub: typeof fetch = async () => new Response(JSON.stringify({ items: [{ id: 'x', status: 'maybe' }] }), { status: 200 });
    const failure = await rejection(createDesignToolClient({ baseUrl: 'http://design.invalid', apiKey: API_KEY, fetch: fetchStub }).listProposals('dp_1'));
    expect(failure).toBeInstanceOf(DesignToolRejected);
  });
});

describe('the stand-in sends webhooks', () => {
  test('sent, signed and deposit arrive signed with the design secret, with the Fieldflow project id', async () => {
    const link = await tool.createProject({ projectId: 'prj_hooks', customerName: 'Katherine Johnson', siteAddress: '3 Orbit Ave' });
    const { body } = await control(`/_control/projects/${link.designProjectId}/proposals`, { title: 'Option A', amount: 900_000, currency: 'AUD' });
    const proposalId = body.proposal.id;
    expect((await control(`/_control/proposals/${proposalId}/send`)).body.delivery.status).toBe('delivered');
    expect((await control(`/_control/proposals/${proposalId}/sign`)).body.proposal.status).toBe('signed');
    expect((await control(`/_control/projects/${link.designProjectId}/deposit`, { amount: 90_000 })).status).toBe(200);

    const verifier = new Webhook(DESIGN_WEBHOOK_SECRET);
    const events = receiver.received.map(({ headers, body: raw }) => verifier.verify(raw, headers as Record<string, string>));
    const common = { projectId: 'prj_hooks', designProjectId: link.designProjectId, proposalId };
    expect(events).toEqual([
      { type: 'proposal.sent', ...common },
      { type: 'proposal.signed', ...common, amount: 900_000 },
      { type: 'deposit.paid', ...common, amount: 90_000 },
    ]);
    expect(new Set(receiver.received.map(({ headers }) => headers['webhook-id'])).size).toBe(3);
    // Another source's secret does not verify them.
    const other = new Webhook(WEBHOOK_SECRET);
    expect(() => other.verify(receiver.received[0].body, receiver.received[0].headers as Record<string, string>)).toThrow();
    // The tool's own state follows: the proposal is signed, as a sync would see it.
    expect((await tool.listProposals(link.designProjectId))[0]).toMatchObject({ id: proposalId, status: 'signed' });
  });

  test('a delivery that may heal is retried with the same id; a 4xx is not', async () => {
    const link = await tool.createProject({ projectId: 'prj_retry', customerName: 'Alan Turing', siteAddress: '4 Bletchley Pk' });
    const { body } = await control(`/_control/projects/${link.designProjectId}/proposals`, { title: 'Option B', amount: 500_000 });
    receiver.answers.push(503, 500);
    const sent = await control(`/_control/proposals/${body.proposal.id}/send`);
    expect(sent.body.delivery).toMatchObject({ status: 'pending', attempts: [{ status: 503 }] });
    const deadline = Date.now() + 5000;
    while (standIn.deliveries().find((d) => d.id === sent.body.delivery.id)?.status !== 'delivered' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(standIn.deliveries().find((d) => d.id === sent.body.delivery.id)).toMatchObject({ status: 'delivered', attempts: [{ status: 503 }, { status: 500 }, { status: 202 }] });
    expect(receiver.received.map(({ headers }) => headers['webhook-id'])).toEqual([sent.body.delivery.id, sent.body.delivery.id, sent.body.delivery.id]);
    for (const { headers, body: raw } of receiver.received) expect(() => new Webhook(DESIGN_WEBHOOK_SECRET).verify(raw, headers as Record<string, string>)).not.toThrow();

    receiver.received.length = 0;
    receiver.answers.push(404);
    const signed = await control(`/_control/proposals/${body.proposal.id}/sign`);
    expect(signed.body.delivery).toMatchObject({ status: 'failed', attempts: [{ status: 404 }] });
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.received).toHaveLength(1);
  });

  test('the page lists linked projects and proposals with labelled buttons, escaped, and its forms work', async () => {
    const link = await tool.createProject({ projectId: 'prj_page', customerName: '<script>alert(1)</script> Pty', siteAddress: '5 Page St' });
    // A person's form post (urlencoded, price in major units) goes back to the page with a message.
    const form = await fetch(`${standIn.url}/_control/projects/${link.designProjectId}/proposals`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ title: 'Option C', price: '12500.50', currency: 'aud' }),
      redirect: 'manual',
    });
    expect(form.status).toBe(303);
    expect(form.headers.get('location')).toMatch(/^\/\?message=Added/);
    expect((await tool.listProposals(link.designProjectId))[0].price).toEqual({ amount: 1_250_050, currency: 'AUD' });

    const page = await (await fetch(standIn.url)).text();
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Pty');
    expect(page).not.toContain('<script>alert(1)');
    expect(page).toContain(`id="${link.designProjectId}"`);
    expect(page).toMatch(/<button type="submit">Mark signed<span class="sr-only"> Option C/);
    expect(page).toContain('<html lang="en">');
  });
});

describe('configuration', () => {
  const secrets = { WEBHOOK_SECRET_MANUFACTURER: WEBHOOK_SECRET, WEBHOOK_SECRET_DESIGN: DESIGN_WEBHOOK_SECRET, JWT_SECRET: 'j'.repeat(32) };
  test('no DESIGN_TOOL_URL runs the stand-in: on 3100 in npm start, a free port elsewhere; a URL needs its key', () => {
    expect(loadConfig(secrets)).toMatchObject({ designStandInPort: 0 });
    expect(loadConfig(secrets).designToolUrl).toBeUndefined();
    expect(loadConfig({ ...secrets, DATA_DIR: path.join(os.tmpdir(), 'fieldflow-design-config') }, { embedded: true })).toMatchObject({ designStandInPort: 3100 });
    expect(() => loadConfig({ ...secrets, DESIGN_TOOL_URL: 'https://pylon.example' })).toThrow(/DESIGN_TOOL_API_KEY/);
    expect(() => loadConfig({ ...secrets, DESIGN_TOOL_URL: 'pylon', DESIGN_TOOL_API_KEY: 'k' })).toThrow(/DESIGN_TOOL_URL/);
    expect(loadConfig({ ...secrets, DESIGN_TOOL_URL: 'https://pylon.example', DESIGN_TOOL_API_KEY: 'k', DESIGN_STAND_IN_PORT: '3200' })).toMatchObject({
      designToolUrl: 'https://pylon.example',
      designToolApiKey: 'k',
      designStandInPort: 3200,
    });
  });
});
