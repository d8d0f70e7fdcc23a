import { and, desc, eq, lt } from 'drizzle-orm';
import { Router } from 'express';
import { customers, sites } from '../../db/schema';
import { authorize } from '../access';
import { currentUser, type User } from '../auth';
import type { ApiDeps } from '../deps';
import { newId } from '../ids';
import { decodeCursor, page } from '../paging';
import { notFound } from '../problem';
import { CustomerBody, PageQuery, SiteBody } from '../schemas';

const customerView = (row: typeof customers.$inferSelect) => ({
  id: row.id,
  name: row.name,
  ...(row.email ? { email: row.email } : {}),
  ...(row.phone ? { phone: row.phone } : {}),
  createdAt: row.createdAt.toISOString(),
});

const siteView = (row: typeof sites.$inferSelect) => ({
  id: row.id,
  customerId: row.customerId,
  address: row.address,
  ...(row.phases ? { phases: row.phases } : {}),
  ...(row.nmi ? { nmi: row.nmi } : {}),
  ...(row.latitude !== null ? { latitude: row.latitude } : {}),
  ...(row.longitude !== null ? { longitude: row.longitude } : {}),
  createdAt: row.createdAt.toISOString(),
});

export function createCustomersRouter({ database }: ApiDeps): Router {
  const { db } = database;
  const router = Router();

  const findCustomer = async (user: User, id: string, action: 'read' | 'update' = 'read') => {
    authorize(user, action, { kind: 'customer', customerId: id }, 'not your customer account');
    const [row] = await db.select().from(customers).where(eq(customers.id, id));
    if (!row) throw notFound(`no customer ${id}`);
    return row;
  };

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
    res.json({ items: items.map(customerView), nextCursor });
  });

  router.get('/customers/:id', async (req, res) => {
    res.json(customerView(await findCustomer(currentUser(req), req.params.id)));
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
    res.json({ items: items.map(siteView), nextCursor });
  });

  return router;
}
