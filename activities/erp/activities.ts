// What a resolved service case asks of the ERP: one order of its article registrations.
// The order is read from the read model when the push runs (the protocols are written by
// the jobs, which ended before the case could close) and carries the project id as its
// idempotency key, so any number of attempts make one order. A refusal that will not heal
// (a 4xx) fails at once (non-retryable, ErpRejected); anything a later attempt may get
// past is retryable (ErpUnavailable), and the project's effect retries until it succeeds.
import { ApplicationFailure } from '@temporalio/common';
import { eq } from 'drizzle-orm';
import { articleRegistrations, totalCents } from '../../api/article-registrations';
import type { Database } from '../../db';
import { customers, projects, sites } from '../../db/schema';
import { ErpRejected, ErpUnavailable, type Erp, type ErpOrderRequest } from './erp';

/** The ApplicationFailure types these activities throw (workflows may match on them). */
export const ErpFailure = {
  Rejected: 'ErpRejected',
  Unavailable: 'ErpUnavailable',
} as const;

export interface PushErpOrderInput {
  projectId: string;
  closedAt?: string;
}

export type PushErpOrderResult = { orderId: string; created: boolean; lines: number; totalCents: number; currency: string } | { skipped: 'no article registrations' };

export function createErpActivities({ database, erp, currency, timeZone }: { database: Database; erp: Erp; currency: string; timeZone: string }) {
  return {
    /** Pushes the case's order (once per case, whatever the attempts); a case without registrations has none. */
    async pushErpOrder({ projectId, closedAt }: PushErpOrderInput): Promise<PushErpOrderResult> {
      const { db } = database;
      const [row] = await db
        .select({ project: projects, customer: customers, site: sites })
        .from(projects)
        .innerJoin(customers, eq(customers.id, projects.customerId))
        .innerJoin(sites, eq(sites.id, projects.siteId))
        .where(eq(projects.id, projectId));
      // The row is written when the project starts; missing, the read model is behind.
      if (!row) throw ApplicationFailure.create({ message: `project ${projectId} is not in the read model yet`, type: ErpFailure.Unavailable, nonRetryable: false });
      const registrations = await articleRegistrations(database, { projectId, timeZone });
      if (!registrations.length) return { skipped: 'no article registrations' };
      const order: ErpOrderRequest = {
        key: projectId,
        caseNumber: projectId,
        ...(row.project.title ? { title: row.project.title } : {}),
        customer: { id: row.customer.id, name: row.customer.name },
        site: { id: row.site.id, address: row.site.address },
        ...(closedAt ? { closedAt } : {}),
        currency,
        lines: registrations.map(({ articleNumber, name, quantity, unit, unitPriceCents, amountCents }) => ({ articleNumber, name, quantity, unit, unitPriceCents, amountCents })),
        totalCents: totalCents(registrations),
      };
      try {
        const receipt = await erp.pushOrder(order);
        return { ...receipt, lines: order.lines.length, totalCents: order.totalCents, currency };
      } catch (err) {
        if (err instanceof ErpRejected) {
          throw ApplicationFailure.create({ message: err.message, type: ErpFailure.Rejected, nonRetryable: true, details: [{ status: err.status }], cause: err });
        }
        if (err instanceof ErpUnavailable) {
          throw ApplicationFailure.create({ message: err.message, type: ErpFailure.Unavailable, nonRetryable: false, details: [{ status: err.status }], cause: err });
        }
        throw err;
      }
    },
  };
}

export type ErpActivities = ReturnType<typeof createErpActivities>;
