import { z } from 'zod';
import { and, asc, desc, eq, getTableColumns, inArray, lt } from 'drizzle-orm';
import { Router } from 'express';
import type { Db } from '../../db';
import { customers, documents, projects, sites, users } from '../../db/schema';
import { authorize, isStaff } from '../access';
import { currentUser, type User } from '../auth';
import { CustomerOverview, CustomerPatch } from '../customer-schemas';
import { customerStatusSql } from '../customer-status';
import type { ApiDeps } from '../deps';
import { firstUse, idempotencyKey } from '../idempotency';
import { newId } from '../ids';
import { decodeCursor, page } from '../paging';
import { notFound } from '../problem';
import { CustomerBody, PageQuery, SiteBody } from '../schemas';
import { telUrl } from './job-card';

const customerView = (row: typeof customers.$inferSelect, editor?: string) => ({
  id: row.id,
  name: row.name,
  ...(row.email ? { email: row.email } : {}),
  ...(row.phone ? { phone: row.phone } : {}),
  createdAt: row.createdAt.toISOString(),
  ...(row.updatedAt ? { updatedAt: row.updatedAt.toISOString() } : {}),
  ...(row.updatedAt && editor ? { updatedBy: editor } : {}),
});

export const siteView = (row: typeof sites.$inferSelect, editor?: string) => ({
  id: row.id,
  customerId: row.customerId,
  address: row.address,
  ...(row.phases ? { phases: row.phases } : {}),
  ...(row.nmi ? { nmi: row.nmi } : {}),
  ...(row.latitude !== null ? { latitude: row.latitude } : {}),
  ...(row.longitude !== null ? { longitude: row.longitude } : {}),
  createdAt: row.createdAt.toISOString(),
  ...(row.updatedAt ? { updatedAt: row.updatedAt.toISOString() } : {}),
  ...(row.updatedAt && editor ? { updatedBy: editor } : {}),
});

/** Where the site is on OpenStreetMap: its coordinates when known, else a search for its address. */
export function openStreetMapUrl(site: { address: string; latitude: number | null; longitude: number | null }): string {
  if (site.latitude != null && site.longitude != null) {
    return `https://www.openstreetmap.org/?mlat=${site.latitude}&mlon=${site.longitude}#map=18/${site.latitude}/${site.longitude}`;
  }
  return `https://www.openstreetmap.org/search?query=${encodeURIComponent(site.address)}`;
}

/** The display names of the users who made the last edits (an id no longer known stays out). */
export async function editorNames(db: Db, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  if (!wanted.length) return new Map();
  const rows = await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, wanted));
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** A project as a row of the customer's and the site's pages. */
export function projectSummary(row: typeof projects.$inferSelect & { customerStatus: string; siteAddress: string }) {
  return {
    id: row.id,
    kind: row.kind,
    ...(row.title ? { title: row.title } : {}),
    stage: row.stage,
    ...(row.outcome ? { outcome: row.outcome } : {}),
    customerStatus: row.customerStatus,
    siteId: row.siteId,
    siteAddress: row.siteAddress,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    ...(row.closedAt ? { closedAt: row.closedAt.toISOString() } : {}),
  };
}

/** The columns `projectSummary` needs, newest first. */
export const summaryColumns = () => ({ ...getTableColumns(projects), customerStatus: customerStatusSql(), siteAddress: sites.address });

export function createCustomersRouter({ database, logger }: ApiDeps): Router {
  const { db } = database;
  const router = Router();

  const findCustomer = async (user: User, id: string, action: 'read' | 'update' | 'overview' = 'read') => {
    authorize(user, action, { kind: 'customer', customerId: id }, action === 'read' ? 'not your customer account' : 'only office staff may do this');
    const [row] = await db.select().from(customers).where(eq(customers.id, id));
    if (!row) throw notFound(`no customer ${id}`);
    return row;
  };

  const detail = async (row: typeof customers.$inferSelect) => customerView(row, (await editorNames(db, [row.updatedBy])).get(row.updatedBy ?? ''));

  router.post('/customers', async (req, res) => {
    authorize(currentUser(req), 'create', { kind: 'customers' }, 'only staff create customers');
    const body = CustomerBody.parse(req.body);
    const [row] = await db
      .insert(customers)
      .values({ id: newId('cus'), name: body.name, email: body.email ?? null, phone: body.phone ?? null })
      .returning();
    res.status(201).location(`/customers/${row.id}`).json(customerView(row));
  });

  router.get('/customers', async (req, res) => {
    authorize(currentUser(req), 'list', { kind: 'customers' }, 'only staff list customers');
    const query = PageQuery.parse(req.query);
    const after = decodeCursor(query.cursor);
    const rows = await db
      .select()
      .from(customers)
      .where(after ? lt(customers.id, String(after[0])) : undefined)
      .orderBy(desc(customers.id))
      .limit(query.limit + 1);
    const { items, nextCursor } = page(rows, query.limit, (row) => [row.id]);
    res.json({ items: items.map((row) => customerView(row)), nextCursor });
  });

  router.get('/customers/:id', async (req, res) => {
    const user = currentUser(req);
    const row = await findCustomer(user, req.params.id);
    // Who in the office edited it is the office's business.
    res.json(isStaff(user) ? await detail(row) : customerView(row));
  });

  // A staff edit. Setting values is idempotent by nature; a key reused with another body is 422.
  router.patch('/customers/:id', async (req, res) => {
    const user = currentUser(req);
    const existing = await findCustomer(user, req.params.id, 'update');
    const body = CustomerPatch.parse(req.body);
    const key = idempotencyKey(req);
    // A retry of an edit already made answers with the customer as it is now: applying it
    // again would undo whatever another edit changed meanwhile.
    const row = await db.transaction(async (tx) => {
      if (key && !(await firstUse(tx, `PATCH /customers/${existing.id} ${user.id}`, key, body))) return existing;
      const [updated] = await tx
        .update(customers)
        .set({ ...body, updatedAt: new Date(), updatedBy: user.id })
        .where(eq(customers.id, existing.id))
        .returning();
      return updated;
    });
    logger.info({ customerId: existing.id, by: user.id, fields: Object.keys(body) }, 'customer edited');
    res.json(customerView(row!, row!.updatedBy === user.id ? user.name : undefined));
  });

  // The customer page: contacts, sites, open and past projects, documents, in one answer.
  router.get('/customers/:id/overview', async (req, res) => {
    const customer = await findCustomer(currentUser(req), req.params.id, 'overview');
    const [portalUsers, siteRows, projectRows, documentRows] = await Promise.all([
      db
        .select({ name: users.name, email: users.email })
        .from(users)
        .where(and(eq(users.customerId, customer.id), eq(users.role, 'customer')))
        .orderBy(asc(users.name)),
      db.select().from(sites).where(eq(sites.customerId, customer.id)).orderBy(asc(sites.createdAt), asc(sites.id)),
      db
        .select(summaryColumns())
        .from(projects)
        .innerJoin(sites, eq(sites.id, projects.siteId))
        .where(eq(projects.customerId, customer.id))
        .orderBy(desc(projects.createdAt), desc(projects.id))
        .limit(500),
      db
        .select({ ...getTableColumns(documents), projectTitle: projects.title })
        .from(documents)
        .innerJoin(projects, eq(projects.id, documents.projectId))
        .where(eq(projects.customerId, customer.id))
        .orderBy(desc(documents.createdAt), desc(documents.id))
        .limit(200),
    ]);
    const names = await editorNames(db, [customer.updatedBy, ...siteRows.map((site) => site.updatedBy)]);
    const summaries = projectRows.map(projectSummary);
    // Checked against its own schema; a mismatch is our bug (500), never the client's 400.
    const overview = serverShape(CustomerOverview, {
      customer: customerView(customer, names.get(customer.updatedBy ?? '')),
      contacts: [
        {
          kind: 'primary',
          name: customer.name,
          ...(customer.phone ? { phone: customer.phone, phoneUrl: telUrl(customer.phone) } : {}),
          ...(customer.email ? { email: customer.email } : {}),
        },
        ...portalUsers.map((person) => ({ kind: 'portal_user', name: person.name, email: person.email })),
      ],
      sites: siteRows.map((site) => ({ ...siteView(site, names.get(site.updatedBy ?? '')), mapsUrl: openStreetMapUrl(site) })),
      openProjects: summaries.filter((project) => !project.closedAt && !project.outcome),
      pastProjects: summaries.filter((project) => project.closedAt || project.outcome),
      documents: documentRows.map((doc) => ({
        id: doc.id,
        name: doc.name,
        size: doc.size,
        contentType: doc.contentType,
        projectId: doc.projectId,
        ...(doc.projectTitle ? { projectTitle: doc.projectTitle } : {}),
        createdAt: doc.createdAt.toISOString(),
      })),
    });
    res.json(overview);
  });

  router.post('/customers/:id/sites', async (req, res) => {
    const customer = await findCustomer(currentUser(req), String(req.params.id), 'update');
    const body = SiteBody.parse(req.body);
    const [row] = await db
      .insert(sites)
      .values({
        id: newId('sit'),
        customerId: customer.id,
        address: body.address,
        phases: body.phases ?? null,
        nmi: body.nmi?.toUpperCase() ?? null,
        latitude: body.latitude ?? null,
        longitude: body.longitude ?? null,
      })
      .returning();
    res.status(201).location(`/customers/${customer.id}/sites/${row.id}`).json(siteView(row));
  });

  router.get('/customers/:id/sites', async (req, res) => {
    const customer = await findCustomer(currentUser(req), req.params.id);
    const query = PageQuery.parse(req.query);
    const after = decodeCursor(query.cursor);
    const rows = await db
      .select()
      .from(sites)
      .where(and(eq(sites.customerId, customer.id), after ? lt(sites.id, String(after[0])) : undefined))
      .orderBy(desc(sites.id))
      .limit(query.limit + 1);
    const { items, nextCursor } = page(rows, query.limit, (row) => [row.id]);
    res.json({ items: items.map((row) => siteView(row)), nextCursor });
  });

  return router;
}

/** A response checked against its schema: a mismatch is a server error, not a bad request. */
function serverShape<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`response does not fit its schema: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  return parsed.data;
}
