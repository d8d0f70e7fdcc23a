// One box for the office: projects, customers and sites by customer name, address,
// phone, email, project title or number, and job number, forgiving typos.
//
// Typos: pg_trgm's word similarity (`q <% text`: the query against the best-matching
// stretch of the text), served by the trigram GIN indexes of migration 0012, on
// PostgreSQL and on PGlite alike. A phone number is compared as its digits, so
// "0412 345 678" finds "(04) 1234-5678". Numbers (project and job ids) match exactly.
// Every branch of every WHERE is indexable, so PostgreSQL combines index scans instead of
// reading whole tables; the projects of matched customers and sites come newest first,
// a few per customer or site, through the (customer_id, created_at) and (site_id,
// created_at) indexes.
import { sql, type SQL } from 'drizzle-orm';
import { Router } from 'express';
import { authorize } from '../access';
import { currentUser } from '../auth';
import { customerStatusExpression, type CustomerStatus } from '../customer-status';
import type { Db } from '../../db';
import type { ApiDeps } from '../deps';
import { badRequest } from '../problem';
import { SearchQuery } from '../schemas';

/** How many candidates each source gives before ranking; enough for a page of results. */
const CANDIDATES = 20;
const WORD_THRESHOLD = 0.5;
/** Longer than any search that uses its indexes takes, even at 100k projects under load. */
const SEARCH_TIMEOUT_MS = 3000;

/** Rows from `execute`, which answers an array (pg) or `{ rows }` (node-postgres, PGlite). */
const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : ((result as { rows: T[] }).rows ?? [])) as T[];

/** `%text%` for ILIKE, with the pattern characters in `text` taken literally. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

interface CustomerHit {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  score: number;
}

interface SiteHit {
  id: string;
  customer_id: string;
  customer_name: string;
  address: string;
  score: number;
}

interface ProjectHit {
  id: string;
  kind: 'sales' | 'service';
  title: string | null;
  stage: string;
  status: string;
  outcome: string | null;
  customer_status: CustomerStatus;
  customer_id: string;
  customer_name: string;
  site_id: string;
  site_address: string;
  created_at: string | Date;
  matched: string;
  job_id: string | null;
}

export function createSearchRouter({ database }: ApiDeps): Router {
  const router = Router();

  router.get('/search', async (req, res) => {
    const user = currentUser(req);
    authorize(user, 'read', { kind: 'search' }, 'search is for the office');
    const { q, limit } = SearchQuery.parse(req.query);
    res.json(await searchReadModel(database.db, q, limit));
  });

  return router;
}

/** The search itself, over the read model (also the benchmark's floor for P5). */
export async function searchReadModel(db: Db, q: string, limit: number) {
  const text = q.trim();
  const digits = text.replace(/\D/g, '');
  // A phone number when the query is mostly digits (spaces, +, dashes, brackets aside).
  const phone = digits.length >= 4 && digits.length >= text.replace(/[\s+()\-.]/g, '').length - 1 ? digits : undefined;
  const pattern = containing(text);
  // Fewer than three letters or digits give the trigram indexes nothing to look up: every
  // row would be a candidate. Such a query matches numbers (and phones) only.
  const wide = text.replace(/[^\p{L}\p{N}]/gu, '').length >= 3;
  const words = (...conditions: SQL[]) => (wide ? sql.join(conditions, sql` OR `) : sql`false`);
  // `<%`: the query is close to a stretch of the name: a surname, or first name and surname.
  const customerWhere = [words(sql`${text} <% c.name`, sql`c.name ILIKE ${pattern}`, sql`c.email ILIKE ${pattern}`)];
  const customerScore = [sql`word_similarity(${text}, c.name)`, sql`CASE WHEN c.email ILIKE ${pattern} THEN 0.9 ELSE 0 END`];
  if (phone) {
    const digitsPattern = containing(phone);
    customerWhere.push(sql`regexp_replace(c.phone, '[^0-9]', '', 'g') LIKE ${digitsPattern}`);
    customerScore.push(sql`CASE WHEN regexp_replace(c.phone, '[^0-9]', '', 'g') LIKE ${digitsPattern} THEN 1 ELSE 0 END`);
  }
  const statement = sql`
    WITH matched_customers AS (
      SELECT c.id, c.name, c.email, c.phone, greatest(${sql.join(customerScore, sql`, `)})::float8 AS score
      FROM customers c WHERE ${sql.join(customerWhere, sql` OR `)}
      ORDER BY score DESC, c.name LIMIT ${CANDIDATES}
    ),
    matched_sites AS (
      SELECT s.id, s.customer_id, cs.name AS customer_name, s.address, word_similarity(${text}, s.address)::float8 AS score
      FROM sites s JOIN customers cs ON cs.id = s.customer_id
      WHERE ${words(sql`${text} <% s.address`, sql`s.address ILIKE ${pattern}`)}
      ORDER BY score DESC, s.address LIMIT ${CANDIDATES}
    ),
    project_candidates AS (
      (SELECT p.id, 2.0::float8 AS score, 'number' AS matched, NULL::text AS job_id FROM projects p WHERE p.id = ${text})
      UNION ALL
      (SELECT j.project_id, 2.0::float8, 'job', j.id FROM jobs j WHERE j.id = ${text})
      UNION ALL
      (SELECT p.id, word_similarity(${text}, p.title)::float8 AS score, 'title', NULL FROM projects p
        WHERE ${words(sql`${text} <% p.title`, sql`p.title ILIKE ${pattern}`)} ORDER BY score DESC, p.created_at DESC LIMIT ${CANDIDATES})
      UNION ALL
      (SELECT recent.id, mc.score * 0.95, 'customer', NULL FROM matched_customers mc
        CROSS JOIN LATERAL (SELECT p.id FROM projects p WHERE p.customer_id = mc.id ORDER BY p.created_at DESC LIMIT 5) recent)
      UNION ALL
      (SELECT recent.id, ms.score * 0.9, 'site', NULL FROM matched_sites ms
        CROSS JOIN LATERAL (SELECT p.id FROM projects p WHERE p.site_id = ms.id ORDER BY p.created_at DESC LIMIT 5) recent)
    ),
    best AS (
      SELECT DISTINCT ON (id) id, score, matched, job_id FROM project_candidates ORDER BY id, score DESC
    ),
    matched_projects AS (
      SELECT p.id, p.kind, p.title, p.stage, p.status, p.outcome, ${sql.raw(customerStatusExpression('p'))} AS customer_status,
             p.customer_id, pc.name AS customer_name, p.site_id, ps.address AS site_address, p.created_at,
             b.matched, b.job_id, b.score
      FROM best b JOIN projects p ON p.id = b.id
      JOIN customers pc ON pc.id = p.customer_id JOIN sites ps ON ps.id = p.site_id
      ORDER BY b.score DESC, p.created_at DESC LIMIT ${CANDIDATES}
    )
    SELECT
      (SELECT coalesce(json_agg(mp ORDER BY mp.score DESC, mp.created_at DESC), '[]'::json) FROM matched_projects mp) AS projects,
      (SELECT coalesce(json_agg(mc ORDER BY mc.score DESC, mc.name), '[]'::json) FROM matched_customers mc) AS customers,
      (SELECT coalesce(json_agg(ms ORDER BY ms.score DESC, ms.address), '[]'::json) FROM matched_sites ms) AS sites`;
  // The threshold holds for this transaction only: looser than pg_trgm's default (0.6), so
  // one wrong letter in an eight-letter surname still finds it; the best matches come first.
  // A query that still matches nearly everything (a common word) is cut off rather than
  // holding a connection for seconds: a 400 asking for a narrower search.
  const row = await db
    .transaction(async (tx) => {
      await tx.execute(sql.raw(`SET LOCAL pg_trgm.word_similarity_threshold = ${WORD_THRESHOLD}`));
      await tx.execute(sql.raw(`SET LOCAL statement_timeout = ${SEARCH_TIMEOUT_MS}`));
      return rowsOf<{ projects: ProjectHit[]; customers: CustomerHit[]; sites: SiteHit[] }>(await tx.execute(statement))[0];
    })
    .catch((err: unknown) => {
      const code = (err as { code?: string; cause?: { code?: string } }).code ?? (err as { cause?: { code?: string } }).cause?.code;
      if (code === '57014') throw badRequest('this search matches too much to answer quickly: add more of the name, street or number', [{ path: 'q', message: 'too broad' }]);
      throw err;
    });
  const take = <T>(items: T[] | null | undefined) => (items ?? []).slice(0, limit);
  return {
    query: text,
    projects: take(row?.projects).map((hit) => ({
      id: hit.id,
      kind: hit.kind,
      ...(hit.title ? { title: hit.title } : {}),
      stage: hit.stage,
      status: hit.status,
      ...(hit.outcome ? { outcome: hit.outcome } : {}),
      customerStatus: hit.customer_status,
      customerId: hit.customer_id,
      customerName: hit.customer_name,
      siteId: hit.site_id,
      siteAddress: hit.site_address,
      createdAt: new Date(hit.created_at).toISOString(),
      matched: hit.matched,
      ...(hit.job_id ? { jobId: hit.job_id } : {}),
    })),
    customers: take(row?.customers).map((hit) => ({
      id: hit.id,
      name: hit.name,
      ...(hit.email ? { email: hit.email } : {}),
      ...(hit.phone ? { phone: hit.phone } : {}),
    })),
    sites: take(row?.sites).map((hit) => ({ id: hit.id, customerId: hit.customer_id, customerName: hit.customer_name, address: hit.address })),
  };
}
