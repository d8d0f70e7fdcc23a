// A local design tool with the real one's wire format (wire.ts), for `npm start` and the
// tests. Besides the API the client uses it has controls for a person (the page at `/`)
// and for tests (`/_control/...`): add or edit a proposal, mark it sent, signed or
// declined, record a deposit. Sent, signed and deposit each send a Standard Webhooks
// delivery to `webhookUrl` (Fieldflow's `POST /events/design`), retried while the
// failure may heal. It records every call it gets (`GET /_calls`) and can be told to
// fail (`POST /_control/faults`) so tests can watch retries and compensations.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../../runtime/logger';
import { renderStandInPage } from './stand-in-page';
import { createWebhookSender, deliveryOutcome, type Delivery } from './stand-in-webhooks';
import type { DesignEvent, DesignProposal, Money, ProposalStatus } from './tool';
import { CreateProjectBody, type WireProject } from './wire';

export interface StandInProject extends WireProject {
  proposals: DesignProposal[];
  deposits: { proposalId: string; amount: number; paidAt: string }[];
}

export interface RecordedCall {
  at: string;
  method: string;
  path: string;
  status?: number;
  body?: unknown;
}

interface Fault {
  status?: number;
  delayMs?: number;
  remaining: number;
  /** Only calls whose path starts with this (all `/v1` calls when absent). */
  path?: string;
}

export interface DesignToolStandInOptions {
  /** Fieldflow's `/events/design`; may be set later through `standIn.webhookUrl`. */
  webhookUrl?: string;
  /** The design source's Standard Webhooks secret (`whsec_…`). */
  webhookSecret: string;
  /** 0 for a free port. */
  port?: number;
  host?: string;
  /** When set, `/v1` calls must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Waits between delivery attempts; one attempt more than entries. */
  retryDelaysMs?: number[];
  /** Keeps the projects across restarts (npm start); in memory when absent. */
  stateFile?: string;
  logger?: Logger;
}

export type { Delivery } from './stand-in-webhooks';

export interface DesignToolStandIn {
  url: string;
  webhookUrl: string | undefined;
  app: Express;
  calls(): RecordedCall[];
  deliveries(): Delivery[];
  projects(): StandInProject[];
  close(): Promise<void>;
}

const fail = (res: Response, status: number, code: string, message: string) => void res.status(status).json({ error: { code, message } });

export async function createDesignToolStandIn(options: DesignToolStandInOptions): Promise<DesignToolStandIn> {
  const host = options.host ?? '127.0.0.1';
  const saved = options.stateFile && fs.existsSync(options.stateFile) ? (JSON.parse(fs.readFileSync(options.stateFile, 'utf8')) as { seq: number; projects: StandInProject[] }) : undefined;
  const projects = new Map<string, StandInProject>((saved?.projects ?? []).map((project) => [project.id, project]));
  let seq = saved?.seq ?? 0;
  let version = 0;
  const calls: RecordedCall[] = [];
  const faults: Fault[] = [];
  let url = '';

  const changed = () => {
    version += 1;
    if (options.stateFile) {
      fs.mkdirSync(path.dirname(options.stateFile), { recursive: true });
      fs.writeFileSync(options.stateFile, JSON.stringify({ seq, projects: [...projects.values()] }));
    }
  };
  const nextId = (prefix: string) => `${prefix}_${(++seq).toString().padStart(4, '0')}`;
  const now = () => new Date().toISOString();
  const findProposal = (id: string) => {
    for (const project of projects.values()) {
      const proposal = project.proposals.find((candidate) => candidate.id === id);
      if (proposal) return { project, proposal };
    }
    return undefined;
  };
  const wire = ({ proposals: _proposals, deposits: _deposits, ...project }: StandInProject): WireProject => project;
  const webhooks = createWebhookSender({
    secret: options.webhookSecret,
    retryDelaysMs: options.retryDelaysMs ?? [1000, 5000, 15000],
    target: () => standIn.webhookUrl,
    onAttempt: () => (version += 1),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const deliver = (event: DesignEvent) => webhooks.deliver(event);


  const app = express();
  app.use(express.json({ limit: '100kb' }), express.urlencoded({ extended: false, limit: '100kb' }));
  app.use((req, res, next) => {
    if (!req.path.startsWith('/v1/') && !req.path.startsWith('/_control/')) return next();
    const call: RecordedCall = { at: now(), method: req.method, path: req.path, ...(req.body && Object.keys(req.body).length ? { body: req.body } : {}) };
    calls.push(call);
    res.on('finish', () => (call.status = res.statusCode));
    next();
  });

  // --- The API the client uses -----------------------------------------------------
  const api = express.Router();
  api.use(async (req: Request, res: Response, next: NextFunction) => {
    if (options.apiKey && req.get('authorization') !== `Bearer ${options.apiKey}`) return fail(res, 401, 'unauthorized', 'a valid API key is required');
    const index = faults.findIndex((fault) => !fault.path || req.originalUrl.startsWith(fault.path));
    if (index < 0) return next();
    const fault = faults[index];
    if (--fault.remaining <= 0) faults.splice(index, 1);
    if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault.status) return fail(res, fault.status, 'fault', 'a fault set through /_control/faults');
    next();
  });
  api.post('/projects', (req, res) => {
    const body = CreateProjectBody.safeParse(req.body);
    if (!body.success) return fail(res, 400, 'invalid', body.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
    const existing = [...projects.values()].find((project) => project.externalId === body.data.externalId);
    if (existing) return void res.status(200).json(wire(existing));
    const id = nextId('dp');
    const project: StandInProject = { id, ...body.data, status: 'active', url: `${url}/#${id}`, createdAt: now(), proposals: [], deposits: [] };
    projects.set(id, project);
    changed();
    res.status(201).json(wire(project));
  });
  api.get('/projects/:id', (req, res) => {
    const project = projects.get(req.params.id);
    if (!project) return fail(res, 404, 'not_found', `no project ${req.params.id}`);
    res.json(wire(project));
  });
  api.get('/projects/:id/proposals', (req, res) => {
    const project = projects.get(req.params.id);
    if (!project) return fail(res, 404, 'not_found', `no project ${req.params.id}`);
    res.json({ items: project.proposals });
  });
  api.post('/projects/:id/archive', (req, res) => {
    const project = projects.get(req.params.id);
    if (!project) return fail(res, 404, 'not_found', `no project ${req.params.id}`);
    if (project.status !== 'archived') {
      project.status = 'archived';
      project.archivedAt = now();
      changed();
    }
    res.json(wire(project));
  });
  app.use('/v1', api);

  // --- Controls for a person (forms on the page) and for tests (JSON) ------------------
  /** A form post goes back to the page with a message; a JSON call gets the result. */
  const answer = (req: Request, res: Response, status: number, body: Record<string, unknown>, message: string, anchor = '') => {
    if (req.is('application/x-www-form-urlencoded')) return void res.redirect(303, `/?message=${encodeURIComponent(message)}${anchor ? `#${anchor}` : ''}`);
    res.status(status).json(body);
  };
  const refuse = (req: Request, res: Response, status: number, message: string) =>
    req.is('application/x-www-form-urlencoded') ? answer(req, res, status, {}, `Refused: ${message}`) : fail(res, status, 'refused', message);
  /** `amount` in minor units (JSON), or `price` in major units (the page's forms). */
  const moneyOf = (body: Record<string, unknown>, fallback?: Money): Money | string => {
    const amount = body.amount !== undefined && body.amount !== '' ? Number(body.amount) : body.price !== undefined && body.price !== '' ? Math.round(Number(body.price) * 100) : fallback?.amount;
    const currency = typeof body.currency === 'string' && body.currency ? body.currency.toUpperCase() : (fallback?.currency ?? 'AUD');
    if (amount === undefined || !Number.isInteger(amount) || amount < 0) return 'a price of 0 or more is needed';
    if (!/^[A-Z]{3}$/.test(currency)) return 'the currency is three letters (AUD)';
    return { amount, currency };
  };
  const editable = (project: StandInProject) => project.status === 'active';

  app.post('/_control/projects/:id/proposals', (req, res) => {
    const project = projects.get(String(req.params.id));
    if (!project) return refuse(req, res, 404, `no project ${req.params.id}`);
    if (!editable(project)) return refuse(req, res, 409, 'the project is archived');
    const price = moneyOf(req.body ?? {});
    if (typeof price === 'string') return refuse(req, res, 400, price);
    const proposal: DesignProposal = { id: nextId('pr'), title: String(req.body?.title || `Proposal ${project.proposals.length + 1}`), status: 'draft', price, updatedAt: now() };
    project.proposals.push(proposal);
    changed();
    answer(req, res, 201, { proposal }, `Added ${proposal.title}.`, project.id);
  });
  app.post('/_control/proposals/:id', (req, res) => {
    const found = findProposal(String(req.params.id));
    if (!found) return refuse(req, res, 404, `no proposal ${req.params.id}`);
    if (!editable(found.project)) return refuse(req, res, 409, 'the project is archived');
    const price = moneyOf(req.body ?? {}, found.proposal.price);
    if (typeof price === 'string') return refuse(req, res, 400, price);
    Object.assign(found.proposal, { title: req.body?.title ? String(req.body.title) : found.proposal.title, price, updatedAt: now() });
    changed();
    answer(req, res, 200, { proposal: found.proposal }, `Saved ${found.proposal.title}.`, found.project.id);
  });

  const transitions: Record<string, { to: ProposalStatus; from: ProposalStatus[]; event?: DesignEvent['type'] }> = {
    send: { to: 'sent', from: ['draft', 'sent'], event: 'proposal.sent' },
    sign: { to: 'signed', from: ['draft', 'sent', 'signed'], event: 'proposal.signed' },
    decline: { to: 'declined', from: ['draft', 'sent'] },
  };
  app.post('/_control/proposals/:id/:action', async (req, res) => {
    const transition = transitions[String(req.params.action)];
    const found = findProposal(String(req.params.id));
    if (!transition || !found) return refuse(req, res, 404, `no proposal ${req.params.id} or no action ${req.params.action}`);
    const { project, proposal } = found;
    if (!editable(project)) return refuse(req, res, 409, 'the project is archived');
    if (!transition.from.includes(proposal.status)) return refuse(req, res, 409, `a ${proposal.status} proposal cannot be marked ${transition.to}`);
    Object.assign(proposal, { status: transition.to, updatedAt: now() });
    changed();
    const delivery = transition.event
      ? await deliver({
          type: transition.event,
          projectId: project.externalId,
          designProjectId: project.id,
          proposalId: proposal.id,
          ...(transition.event === 'proposal.signed' ? { amount: proposal.price.amount } : {}),
        })
      : undefined;
    answer(req, res, 200, { proposal, ...(delivery ? { delivery } : {}) }, `${proposal.title} is ${transition.to}.${delivery ? ` ${deliveryOutcome(delivery)}` : ''}`, project.id);
  });
  app.post('/_control/projects/:id/deposit', async (req, res) => {
    const project = projects.get(String(req.params.id));
    if (!project) return refuse(req, res, 404, `no project ${req.params.id}`);
    const proposal = req.body?.proposalId ? project.proposals.find((p) => p.id === req.body.proposalId) : project.proposals.find((p) => p.status === 'signed');
    if (!proposal) return refuse(req, res, 409, 'a deposit needs a signed proposal');
    const fallback = Math.round(proposal.price.amount / 10); // 10 % unless told otherwise
    const price = moneyOf(req.body?.amount !== undefined || req.body?.price ? req.body : { amount: fallback }, proposal.price);
    if (typeof price === 'string') return refuse(req, res, 400, price);
    project.deposits.push({ proposalId: proposal.id, amount: price.amount, paidAt: now() });
    changed();
    const delivery = await deliver({ type: 'deposit.paid', projectId: project.externalId, designProjectId: project.id, proposalId: proposal.id, amount: price.amount });
    answer(req, res, 200, { deposit: project.deposits.at(-1), delivery }, `Deposit recorded. ${deliveryOutcome(delivery)}`, project.id);
  });

  app.post('/_control/faults', (req, res) => {
    const fault: Fault = { remaining: Number(req.body?.count ?? 1), ...(req.body?.status ? { status: Number(req.body.status) } : {}), ...(req.body?.delayMs ? { delayMs: Number(req.body.delayMs) } : {}), ...(req.body?.path ? { path: String(req.body.path) } : {}) };
    faults.push(fault);
    res.status(201).json({ fault });
  });
  app.delete('/_control/faults', (_req, res) => void (faults.splice(0), res.status(204).end()));

  // --- What tests and the page read ----------------------------------------------------
  app.get('/_calls', (_req, res) => void res.json({ items: calls }));
  app.delete('/_calls', (_req, res) => void (calls.splice(0), res.status(204).end()));
  app.get('/_deliveries', (_req, res) => void res.json({ items: webhooks.deliveries() }));
  app.get('/_state', (_req, res) => void res.json({ version, projects: [...projects.values()] }));
  app.get('/', (req, res) => {
    res.type('html').send(renderStandInPage({ projects: [...projects.values()].reverse(), deliveries: webhooks.deliveries().slice(-20).reverse(), version, message: typeof req.query.message === 'string' ? req.query.message : undefined, webhookUrl: standIn.webhookUrl }));
  });

  const server = http.createServer(app);
  await listen(server, options.port ?? 0, host, options.logger);
  const { port } = server.address() as { port: number };
  url = `http://${host === '0.0.0.0' || host === '::' ? 'localhost' : host}:${port}`;

  const standIn: DesignToolStandIn = {
    url,
    webhookUrl: options.webhookUrl,
    app,
    calls: () => calls.map((call) => ({ ...call })),
    deliveries: () => webhooks.deliveries(),
    projects: () => [...projects.values()].map((project) => structuredClone(project)),
    async close() {
      webhooks.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return standIn;
}

/** On a fixed port that is taken (a second `npm start`), a free one instead, said in the log. */
async function listen(server: http.Server, port: number, host: string, logger?: Logger): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => (server.off('error', reject), resolve()));
    });
  } catch (err) {
    if (port === 0 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    logger?.warn({ port }, 'design stand-in: the port is taken, using a free one');
    await listen(server, 0, host, logger);
  }
}
