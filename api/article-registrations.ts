// Article registrations: the material lines of every job's protocol, one row each, with
// the case, customer and site they belong to. The xlsx export lists them over a period;
// the ERP order of a resolved case is made of its own.
//
// A line records its article's price when it was added, so a later price change never
// changes a registration. Its date is its job's: the day the job was done, else its
// scheduled start, else the day the job was made (in the company's time zone).
//
// Money stays in whole cents: a line's amount is quantity × unit price rounded half-up to
// the cent once, from the exact product (quantities have at most three decimals), and a
// total is the sum of the amounts people see, so the sheet adds up to the cent.
import type { Database } from '../db';
import { thousandths } from './invoice';
import { periodCondition, periodParams, type Period } from './period';

export interface Registration {
  /** `<jobId>:<lineId>`: stable across exports. */
  id: string;
  /** The company-local day (YYYY-MM-DD). */
  date: string;
  projectId: string;
  projectKind: string;
  title: string | null;
  jobId: string;
  customerId: string;
  customerName: string;
  siteId: string;
  siteAddress: string;
  articleNumber: string;
  name: string;
  quantity: number;
  unit: string;
  unitPriceCents: number;
  amountCents: number;
}

/** quantity × unit price in cents, rounded half-up once. */
export function lineAmountCents(quantity: number, unitPriceCents: number): number {
  const exact = thousandths(quantity) * BigInt(unitPriceCents); // thousandths of a cent
  const negative = exact < 0n;
  const magnitude = negative ? -exact : exact;
  const cents = (magnitude * 2n + 1000n) / 2000n;
  return Number(negative ? -cents : cents);
}

export const totalCents = (rows: { amountCents: number }[]) => rows.reduce((sum, row) => sum + row.amountCents, 0);

interface Row {
  project_id: string;
  project_kind: string;
  title: string | null;
  job_id: string;
  customer_id: string;
  customer_name: string;
  site_id: string;
  site_address: string;
  day: string;
  line_id: string | null;
  line_no: number;
  article_number: string | null;
  name: string | null;
  quantity: string | null;
  unit: string | null;
  unit_price_cents: number | null;
}

// The job's date is computed once per job, then each material line is a row; jobs are
// narrowed by the period before their protocols are opened.
const QUERY = `
WITH dated AS (
  SELECT j.id, j.project_id, j.sequence, j.protocol, coalesce(j.completed_at, j.scheduled_start, j.created_at) AS at
  FROM jobs j
  WHERE ($1::text IS NULL OR j.project_id = $1)
)
SELECT p.id AS project_id, p.kind AS project_kind, p.title, d.id AS job_id,
       c.id AS customer_id, c.name AS customer_name, s.id AS site_id, s.address AS site_address,
       to_char(d.at AT TIME ZONE $4, 'YYYY-MM-DD') AS day,
       m.line->>'id' AS line_id, m.n::int AS line_no,
       m.line->>'articleNumber' AS article_number, m.line->>'name' AS name,
       m.line->>'quantity' AS quantity, m.line->>'unit' AS unit, (m.line->>'unitPriceCents')::int AS unit_price_cents
FROM dated d
JOIN projects p ON p.id = d.project_id
JOIN customers c ON c.id = p.customer_id
JOIN sites s ON s.id = p.site_id
CROSS JOIN LATERAL jsonb_array_elements(
  CASE WHEN jsonb_typeof(d.protocol->'materials') = 'array' THEN d.protocol->'materials' ELSE '[]'::jsonb END
) WITH ORDINALITY AS m(line, n)
WHERE ${periodCondition('d.at', 2)}
ORDER BY d.at, p.id, d.sequence, m.n`;

export async function articleRegistrations(database: Database, { period = {}, projectId, timeZone }: { period?: Period; projectId?: string; timeZone: string }): Promise<Registration[]> {
  const rows = await database.query<Row>(QUERY, [projectId ?? null, ...periodParams(period, timeZone)]);
  return rows.map((row) => {
    const quantity = Number(row.quantity ?? 0);
    const unitPriceCents = Number(row.unit_price_cents ?? 0);
    return {
      id: `${row.job_id}:${row.line_id ?? row.line_no}`,
      date: row.day,
      projectId: row.project_id,
      projectKind: row.project_kind,
      title: row.title,
      jobId: row.job_id,
      customerId: row.customer_id,
      customerName: row.customer_name,
      siteId: row.site_id,
      siteAddress: row.site_address,
      articleNumber: row.article_number ?? '',
      name: row.name ?? '',
      quantity,
      unit: row.unit ?? '',
      unitPriceCents,
      amountCents: lineAmountCents(quantity, unitPriceCents),
    };
  });
}
