// A local ERP for npm start and the tests: it speaks wire.ts, keeps every order it made
// (by idempotency key: the same key answers the same order, never a second one), and can
// be told to fail the next N calls (`POST /_control/faults`), before the order is recorded
// or after it (the order is kept but the answer is lost: a 5xx or a slow answer the client
// gives up on), so tests can watch a retried push stay one order. Tests read the orders at
// `GET /_orders` and the calls at `GET /_calls`; a person sees the orders at `/`.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import express, { type Response } from 'express';
import type { Logger } from '../../runtime/logger';
import { CreateOrderBody, type WireOrder } from './wire';

export interface ErpCall {
  at: string;
  method: string;
  path: string;
  idempotencyKey?: string;
  status?: number;
}

export interface ErpFault {
  /** How many `/v1` calls it hits. */
  remaining: number;
  /** Answer this status instead (5xx: retry; 4xx: refused for good). */
  status?: number;
  /** Wait this long before answering (a client with a shorter timeout gives up). */
  delayMs?: number;
  /** Hit after the order is recorded: the ERP has it, the client does not hear so. */
  afterRecord?: boolean;
}

export interface ErpStandInOptions {
  /** 0 for a free port. */
  port?: number;
  host?: string;
  /** When set, `/v1` calls must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Keeps the orders across restarts (npm start); in memory when absent. */
  stateFile?: string;
  logger?: Logger;
}

export interface ErpStandIn {
  url: string;
  orders(): WireOrder[];
  calls(): ErpCall[];
  /** The next `count` calls fail as described. */
  fail(fault: Omit<ErpFault, 'remaining'> & { count?: number }): void;
  close(): Promise<void>;
}

const refuse = (res: Response, status: number, code: string, message: string) => void res.status(status).json({ error: { code, message } });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function createErpStandIn(options: ErpStandInOptions = {}): Promise<ErpStandIn> {
  const host = options.host ?? '127.0.0.1';
  const saved = options.stateFile && fs.existsSync(options.stateFile) ? (JSON.parse(fs.readFileSync(options.stateFile, 'utf8')) as { seq: number; orders: WireOrder[] }) : undefined;
  const orders = new Map<string, WireOrder>((saved?.orders ?? []).map((order) => [order.idempotencyKey, order]));
  let seq = saved?.seq ?? 0;
  const calls: ErpCall[] = [];
  const faults: ErpFault[] = [];
  const save = () => {
    if (!options.stateFile) return;
    fs.mkdirSync(path.dirname(options.stateFile), { recursive: true });
    fs.writeFileSync(options.stateFile, JSON.stringify({ seq, orders: [...orders.values()] }));
  };
  const addFault = (fault: Omit<ErpFault, 'remaining'> & { count?: number }) => {
    const { count, ...rest } = fault;
    faults.push({ remaining: Math.max(1, count ?? 1), ...rest });
  };
  /** The next fault of this phase, used up by one call. */
  const takeFault = (afterRecord: boolean): ErpFault | undefined => {
    const index = faults.findIndex((fault) => Boolean(fault.afterRecord) === afterRecord);
    if (index < 0) return undefined;
    const fault = faults[index];
    if (--fault.remaining <= 0) faults.splice(index, 1);
    return fault;
  };
  /** Answers as the fault says; true when it answered. */
  const applyFault = async (res: Response, fault: ErpFault | undefined): Promise<boolean> => {
    if (!fault) return false;
    if (fault.delayMs) await sleep(fault.delayMs);
    if (fault.status) {
      refuse(res, fault.status, 'fault', 'a fault set through /_control/faults');
      return true;
    }
    return false;
  };

  const app = express();
  app.use(express.json({ limit: '1mb' }));
  app.use('/v1', (req, res, next) => {
    const call: ErpCall = { at: new Date().toISOString(), method: req.method, path: req.baseUrl + req.path, ...(req.get('idempotency-key') ? { idempotencyKey: req.get('idempotency-key') } : {}) };
    calls.push(call);
    res.on('finish', () => (call.status = res.statusCode));
    if (options.apiKey && req.get('authorization') !== `Bearer ${options.apiKey}`) return refuse(res, 401, 'unauthorized', 'a valid API key is required');
    next();
  });

  app.post('/v1/orders', async (req, res) => {
    if (await applyFault(res, takeFault(false))) return;
    const key = req.get('idempotency-key');
    if (!key) return refuse(res, 400, 'invalid', 'an Idempotency-Key header is required');
    const body = CreateOrderBody.safeParse(req.body);
    if (!body.success) return refuse(res, 400, 'invalid', body.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
    const existing = orders.get(key);
    const order: WireOrder = existing ?? { id: `SO-${String(++seq).padStart(6, '0')}`, idempotencyKey: key, receivedAt: new Date().toISOString(), ...body.data };
    if (!existing) {
      orders.set(key, order);
      save();
    }
    if (await applyFault(res, takeFault(true))) return;
    res.status(existing ? 200 : 201).json(order);
  });
  app.get('/v1/orders/:id', (req, res) => {
    const order = [...orders.values()].find((candidate) => candidate.id === req.params.id);
    if (!order) return refuse(res, 404, 'not_found', `no order ${req.params.id}`);
    res.json(order);
  });

  app.post('/_control/faults', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    addFault({
      count: Number(body.count ?? 1),
      ...(body.status ? { status: Number(body.status) } : {}),
      ...(body.delayMs ? { delayMs: Number(body.delayMs) } : {}),
      ...(body.afterRecord ? { afterRecord: true } : {}),
    });
    res.status(201).json({ faults });
  });
  app.delete('/_control/faults', (_req, res) => void (faults.splice(0), res.status(204).end()));
  app.get('/_orders', (_req, res) => void res.json({ items: [...orders.values()] }));
  app.get('/_calls', (_req, res) => void res.json({ items: calls }));
  app.get('/', (_req, res) => {
    const rows = [...orders.values()]
      .reverse()
      .map((order) => `<tr><td>${esc(order.id)}</td><td>${esc(order.caseNumber)}</td><td>${esc(order.customer.name)}</td><td>${esc(order.site.address)}</td><td>${order.lines.length}</td><td>${(order.totalCents / 100).toFixed(2)} ${esc(order.currency)}</td><td>${esc(order.receivedAt)}</td></tr>`)
      .join('');
    res.type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ERP stand-in</title></head><body><h1>ERP stand-in: orders received</h1>
<table><thead><tr><th>Order</th><th>Case</th><th>Customer</th><th>Site</th><th>Lines</th><th>Total</th><th>Received</th></tr></thead><tbody>${rows || '<tr><td colspan="7">No orders yet.</td></tr>'}</tbody></table></body></html>`);
  });

  const server = http.createServer(app);
  await listen(server, options.port ?? 0, host, options.logger);
  const { port } = server.address() as { port: number };
  return {
    url: `http://${host === '0.0.0.0' || host === '::' ? 'localhost' : host}:${port}`,
    orders: () => [...orders.values()].map((order) => structuredClone(order)),
    calls: () => calls.map((call) => ({ ...call })),
    fail: addFault,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

const esc = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function listen(server: http.Server, port: number, host: string, logger?: Logger): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => (server.off('error', reject), resolve()));
    });
  } catch (err) {
    if (port === 0 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    logger?.warn({ port }, 'ERP stand-in: the port is taken, using a free one');
    await listen(server, 0, host, logger);
  }
}
