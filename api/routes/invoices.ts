// The invoice draft of a project, as JSON and as a PDF (staff only: it is the office's
// paper). A service project's draft comes from its jobs' protocols (materials at the
// price recorded on the line, labour at the configured rate); a sales project's from the
// accepted proposal, once `invoice_customer` has made it.
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { Router } from 'express';
import { customers, jobs, projects, sites, timeline } from '../../db/schema';
import { DEFAULT_COMPANY } from '../../activities/work-orders';
import type { Protocol } from '../../workflows/jobs/definitions';
import { visibleProject } from '../access';
import { currentUser } from '../auth';
import type { ApiDeps } from '../deps';
import { invoiceFromProposal, invoiceFromProtocols, type InvoiceDraft } from '../invoice';
import { invoicePdf } from '../invoice-pdf';
import { conflict } from '../problem';

export function createInvoicesRouter({ database, config }: ApiDeps): Router {
  const { db } = database;
  const router = Router();

  async function draftOf(projectId: string, user: ReturnType<typeof currentUser>): Promise<{ draft: InvoiceDraft; project: typeof projects.$inferSelect }> {
    const project = await visibleProject(db, user, projectId, 'invoice');
    if (project.kind === 'sales') {
      // The `invoice_customer` task writes the draft's proposal line into the timeline.
      const [entry] = await db
        .select({ data: timeline.data })
        .from(timeline)
        .where(and(eq(timeline.projectId, project.id), sql`${timeline.data} ? 'invoice'`))
        .orderBy(desc(timeline.at), desc(timeline.seq))
        .limit(1);
      const invoice = (entry?.data as { invoice?: { proposalId?: string; lines: { description: string }[]; total: number; currency: string } } | undefined)?.invoice;
      if (!invoice) throw conflict('a sales project has its invoice draft once invoice_customer is done (it starts from the accepted proposal)');
      const draft = invoiceFromProposal(
        project.id,
        { ...(invoice.proposalId ? { id: invoice.proposalId } : {}), title: invoice.lines[0]?.description ?? 'System as proposed', amountCents: invoice.total, currency: invoice.currency },
        config.invoice,
      );
      return { draft, project };
    }
    const rows = await db.select({ id: jobs.id, protocol: jobs.protocol }).from(jobs).where(eq(jobs.projectId, project.id)).orderBy(asc(jobs.sequence));
    const protocols = rows.map((row) => ({ jobId: row.id, protocol: (row.protocol ?? {}) as Partial<Protocol> }));
    return { draft: invoiceFromProtocols(project.id, protocols, config.invoice), project };
  }

  router.get('/projects/:id/invoice-draft', async (req, res) => {
    res.json((await draftOf(req.params.id, currentUser(req))).draft);
  });

  router.get('/projects/:id/invoice-draft.pdf', async (req, res) => {
    const { draft, project } = await draftOf(req.params.id, currentUser(req));
    const [customer] = await db.select().from(customers).where(eq(customers.id, project.customerId));
    const [site] = await db.select().from(sites).where(eq(sites.id, project.siteId));
    const pdf = await invoicePdf(draft, { company: DEFAULT_COMPANY.name, customer: customer!, site: site!, projectTitle: project.title }, new Date());
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="invoice-draft-${project.id}.pdf"`);
    res.send(pdf);
  });

  return router;
}
