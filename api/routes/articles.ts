// The article catalogue: what protocol material lines are made of. Admins keep it;
// installers and the office read it to pick from. A line copies the price it had then,
// so changing a price here never changes a recorded protocol.
import { asc, eq } from 'drizzle-orm';
import { Router } from 'express';
import { articles } from '../../db/schema';
import { authorize } from '../access';
import { currentUser } from '../auth';
import type { ApiDeps } from '../deps';
import { newId } from '../ids';
import { conflict, notFound } from '../problem';
import { ArticleBody, ArticlePatch, ArticleQuery } from '../schemas';

export function createArticlesRouter({ database }: ApiDeps): Router {
  const { db } = database;
  const router = Router();

  router.get('/articles', async (req, res) => {
    authorize(currentUser(req), 'list', { kind: 'articles' }, 'customers have no articles');
    const query = ArticleQuery.parse(req.query);
    const rows = await db
      .select()
      .from(articles)
      .where(query.includeInactive === 'true' ? undefined : eq(articles.active, true))
      .orderBy(asc(articles.number));
    res.json({ items: rows.map(articleView), nextCursor: null });
  });

  router.post('/articles', async (req, res) => {
    authorize(currentUser(req), 'create', { kind: 'articles' }, 'only admins keep the article catalogue');
    const body = ArticleBody.parse(req.body);
    const [row] = await db
      .insert(articles)
      .values({ id: newId('art'), ...body })
      .onConflictDoNothing()
      .returning();
    if (!row) throw conflict(`article number ${body.number} is taken`);
    res.status(201).location(`/articles/${row.id}`).json(articleView(row));
  });

  router.patch('/articles/:id', async (req, res) => {
    authorize(currentUser(req), 'update', { kind: 'articles' }, 'only admins keep the article catalogue');
    const body = ArticlePatch.parse(req.body);
    const [existing] = await db.select().from(articles).where(eq(articles.id, req.params.id));
    if (!existing) throw notFound(`no article ${req.params.id}`);
    if (body.number && body.number !== existing.number) {
      const [taken] = await db.select({ id: articles.id }).from(articles).where(eq(articles.number, body.number));
      if (taken) throw conflict(`article number ${body.number} is taken`);
    }
    const [row] = Object.keys(body).length ? await db.update(articles).set(body).where(eq(articles.id, existing.id)).returning() : [existing];
    res.json(articleView(row!));
  });

  return router;
}

export function articleView(row: typeof articles.$inferSelect) {
  return { id: row.id, number: row.number, name: row.name, unit: row.unit, priceCents: row.priceCents, active: row.active, createdAt: row.createdAt.toISOString() };
}

/** Shipped with the demo data: common solar and battery service material (labour is not an article). */
export const demoArticles = [
  { id: 'art_pv_cable_6', number: 'PV-CAB-6', name: 'PV cable 6 mm²', unit: 'm', priceCents: 395 },
  { id: 'art_mc4_pair', number: 'MC4-PAIR', name: 'MC4 connector pair', unit: 'pcs', priceCents: 850 },
  { id: 'art_dc_isolator', number: 'DC-ISO-1000', name: 'DC isolator 1000 V 32 A', unit: 'pcs', priceCents: 14900 },
  { id: 'art_rcd_30ma', number: 'RCD-30MA', name: 'RCD 30 mA 2-pole', unit: 'pcs', priceCents: 6450 },
  { id: 'art_mount_rail', number: 'RAIL-4200', name: 'Mounting rail 4.2 m', unit: 'pcs', priceCents: 5990 },
  { id: 'art_conduit_25', number: 'CON-UV-25', name: 'UV-stable conduit 25 mm', unit: 'm', priceCents: 420 },
];
