// One box for the office: projects, customers and sites by customer name, address,
// phone, email, project title or number, and job number, forgiving typos.
//
// By words (migration 0019). A row's words are `search_words_of` its text (lower case, runs
// of letters and runs of digits), held in a GIN index per table. A query is split the same
// way; each word of three or more letters is matched against the dictionary of distinct
// words (`search_dictionary`, tens of thousands of rows, not 100k projects) by pg_trgm's
// word similarity (`q <% word`: the query word against the best-matching stretch of a
// dictionary word, so a typo or the start of a word matches) or as a part of one; numbers
// and shorter words match only themselves. A row matches when it has a matched word for
// every word of the query, which its GIN index answers directly; it scores the mean of the
// best similarity it has for each query word. A phone number is compared as its digits
// through the trigram index of its digits, so "0412 345 678" finds "(04) 1234-5678".
// Numbers (project and job ids) match exactly. The projects of matched customers and sites
// come newest first, a few per customer or site, through the (customer_id, created_at)
// and (site_id, created_at) indexes.
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
/** Dictionary words kept per query word, best first: a typo's neighbours, not a thousand. */
const WORDS_PER_QUERY_WORD = 30;
/**
 * Rows of one source scored per query. A query that matches more (a common word alone)
 * ranks the first this many it meets; the rest need more of the name, street or number.
 */
const ROWS_SCORED = 200;
/** Query words beyond these are ignored (each is one more condition on every index). */
const MAX_QUERY_WORDS = 8;
/** Longer than any search that uses its indexes takes, even at 100k projects under load. */
const SEARCH_TIMEOUT_MS = 3000;

/** Rows from `execute`, which answers an array (pg) or `{ rows }` (node-postgres, PGlite). */
const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : ((result as { rows: T[] }).rows ?? [])) as T[];

/** `%text%` for LIKE, with the pattern characters in `text` taken literally. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Words travel as one space-separated parameter, split again by the database: a word never
 * holds a space (search_words_of splits at spaces), and a text parameter is sent alike by
 * both drivers, where arrays are not.
 */
const wordList = (words: string[]) => sql`string_to_array(${words.join(' ')}, ' ')`;

/** One query word and the dictionary words it matched, with their similarity, best first. */
interface WordGroup {
  word: string;
  words: string[];
  sims: number[];
}

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
  // Fewer than three letters or digits give too little to tell rows apart: every row would
  // be a candidate. Such a query matches numbers (and phones) only.
  const wide = text.replace(/[^\p{L}\p{N}]/gu, '').length >= 3;
  // The settings hold for this transaction only. The threshold is looser than pg_trgm's default (0.6), so
  // one wrong letter in an eight-letter surname still finds it; the best matches come first.
  // A query that still takes too long is cut off rather than holding a connection for
  // seconds: a 400 asking for a narrower search.
  const row = await db
    .transaction(async (tx) => {
      await tx.execute(sql.raw(`SET LOCAL pg_trgm.word_similarity_threshold = ${WORD_THRESHOLD}`));
      await tx.execute(sql.raw(`SET LOCAL statement_timeout = ${SEARCH_TIMEOUT_MS}`));
      // Every source is read through an index. The planner, counting a trigram comparison
      // as cheap as an equality, would otherwise read the whole dictionary (a few hundred
      // pages) comparing each word, several times slower than the trigram index.
      await tx.execute(sql.raw(`SET LOCAL enable_seqscan = off`));
      const groups = wide ? await wordGroups(tx as unknown as Db, text) : [];
      return rowsOf<{ projects: ProjectHit[]; customers: CustomerHit[]; sites: SiteHit[] }>(await tx.execute(searchStatement(text, groups, phone)))[0];
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

/**
 * The query's words, each with the dictionary words it matches. A word of three or more
 * letters matches itself and the dictionary words similar to it or containing it (through
 * the dictionary's trigram index); a number or a shorter word matches only itself.
 */
async function wordGroups(db: Db, text: string): Promise<WordGroup[]> {
  const rows = rowsOf<{ word: string; words: string[] | null; sims: number[] | null }>(
    await db.execute(sql`
      SELECT q.word, m.words, m.sims
      FROM (SELECT DISTINCT ON (word) word, n FROM unnest(search_words_of(${text})) WITH ORDINALITY AS w(word, n) ORDER BY word, n) q
      LEFT JOIN LATERAL (
        SELECT array_agg(d.word ORDER BY d.sim DESC, d.word) AS words, array_agg(d.sim ORDER BY d.sim DESC, d.word) AS sims
        FROM (
          -- A word holds no punctuation (search_words_of splits there), so no LIKE pattern
          -- characters either. Three letters are too few for a typo: "ben" would be like
          -- any word starting "be"; they find the words that contain them.
          SELECT d.word, CASE WHEN d.word = q.word THEN 1 ELSE word_similarity(q.word, d.word) END::float8 AS sim
          FROM search_dictionary d
          WHERE length(q.word) >= 3 AND q.word !~ '[0-9]'
            AND ((length(q.word) >= 4 AND q.word <% d.word) OR d.word LIKE '%' || q.word || '%')
          ORDER BY sim DESC, d.word LIMIT ${WORDS_PER_QUERY_WORD}
        ) d
      ) m ON true
      ORDER BY q.n LIMIT ${MAX_QUERY_WORDS}`),
  );
  return rows.map(({ word, words, sims }) => {
    const matched = (words ?? []).map((w, i) => ({ w, sim: Number(sims?.[i] ?? 0) }));
    if (!matched.some(({ w }) => w === word)) matched.unshift({ w: word, sim: 1 });
    return { word, words: matched.map(({ w }) => w), sims: matched.map(({ sim }) => sim) };
  });
}

/**
 * One statement for every source, ranked. `groups` are the query's words with their
 * matches (none when the query is too short for words); `phone` the digits of a phone.
 */
function searchStatement(text: string, groups: WordGroup[], phone: string | undefined): SQL {
  // A row's words must meet every group: one `&&` per group, all answered by its GIN index.
  const hasEvery = (words: SQL) => (groups.length ? sql.join(groups.map((group) => sql`${words} && ${wordList(group.words)}`), sql` AND `) : sql`false`);
  // The mean over the query's words of the best similarity among the row's words (`words`,
  // computed once per candidate row in its subquery).
  const score = (alias: string) =>
    sql`(SELECT coalesce(sum(best), 0) FROM (SELECT max(m.sim) AS best FROM unnest(${sql.raw(alias)}.words) AS w JOIN matches m ON m.word = w GROUP BY m.grp) b) / ${Math.max(1, groups.length)}::float8`;
  const all = groups.flatMap((group, n) => group.words.map((word, i) => ({ word, n, sim: group.sims[i] })));
  const customerWords = sql`search_words_of(c.name, c.email)`;
  const siteWords = sql`search_words_of(s.address)`;
  const titleWords = sql`search_words_of(p.title)`;
  return sql`
    WITH matches AS MATERIALIZED (
      SELECT * FROM unnest(${wordList(all.map((m) => m.word))}, string_to_array(${all.map((m) => m.n).join(' ')}, ' ')::int[],
                           string_to_array(${all.map((m) => m.sim).join(' ')}, ' ')::float8[]) AS m(word, grp, sim)
    ),
    customer_candidates AS (
      (SELECT c.id, c.name, c.email, c.phone, ${score('c')} AS score
        FROM (SELECT c.*, ${customerWords} AS words FROM customers c WHERE ${hasEvery(customerWords)} LIMIT ${ROWS_SCORED}) c)
      UNION ALL
      (SELECT c.id, c.name, c.email, c.phone, 1.0::float8 FROM customers c
        WHERE ${phone ? sql`regexp_replace(c.phone, '[^0-9]', '', 'g') LIKE ${containing(phone)}` : sql`false`} LIMIT ${ROWS_SCORED})
    ),
    matched_customers AS (
      SELECT id, name, email, phone, max(score) AS score FROM customer_candidates
      GROUP BY id, name, email, phone ORDER BY score DESC, name LIMIT ${CANDIDATES}
    ),
    matched_sites AS (
      SELECT s.id, s.customer_id, cs.name AS customer_name, s.address, ${score('s')} AS score
      FROM (SELECT s.*, ${siteWords} AS words FROM sites s WHERE ${hasEvery(siteWords)} LIMIT ${ROWS_SCORED}) s
      JOIN customers cs ON cs.id = s.customer_id
      ORDER BY score DESC, s.address LIMIT ${CANDIDATES}
    ),
    project_candidates AS (
      (SELECT p.id, 2.0::float8 AS score, 'number' AS matched, NULL::text AS job_id FROM projects p WHERE p.id = ${text})
      UNION ALL
      (SELECT j.project_id, 2.0::float8, 'job', j.id FROM jobs j WHERE j.id = ${text})
      UNION ALL
      (SELECT p.id, ${score('p')} AS score, 'title', NULL
        FROM (SELECT p.id, p.created_at, ${titleWords} AS words FROM projects p WHERE ${hasEvery(titleWords)} LIMIT ${ROWS_SCORED}) p
        ORDER BY score DESC, p.created_at DESC LIMIT ${CANDIDATES})
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
}
