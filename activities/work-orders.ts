// The work order as a PDF: one version per call, laid out like a paper work order
// (header, customer and site, appointment, technicians, fault, lines, totals, signatures).
// Every date in it comes from the workflow's time, so a retried call makes the same bytes,
// which the content-addressed store keeps once; the rows are upserts on ids made here.
import { Readable } from 'node:stream';
import { and, eq, inArray } from 'drizzle-orm';
import PDFDocument from 'pdfkit';
import type { Database } from '../db';
import { customers, documents, projects, sites, tasks, users, workOrders } from '../db/schema';
import type { DocumentStore } from '../runtime/document-store';
import type { MaterialLine, WorkOrderInput } from '../workflows/jobs/definitions';

export interface Company {
  name: string;
  address: string;
  phone: string;
}

export const DEFAULT_COMPANY: Company = { name: 'Fieldflow Solar & Battery Service', address: '10 Depot Road, Adelaide SA 5000', phone: '+61 8 8000 0000' };

const KINDS: Record<string, string> = { more_material: 'More material', more_workers: 'More workers', unforeseen_service: 'Unforeseen service' };

export const workOrderNumber = (jobId: string, version: number) => `${jobId}-v${version}`;
export const workOrderDocumentId = (jobId: string, version: number) => `doc_wo_${jobId}_v${version}`;

export function createWorkOrderActivities({ database, documentStore, company = DEFAULT_COMPANY }: { database: Pick<Database, 'db'>; documentStore: DocumentStore; company?: Company }) {
  return {
    async generateWorkOrder(input: WorkOrderInput): Promise<{ documentId: string }> {
      // Read here, not at creation: the worker may be built before the database is open.
      const { db } = database;
      const documentId = workOrderDocumentId(input.jobId, input.version);
      const [project] = await db.select().from(projects).where(eq(projects.id, input.projectId));
      const [customer] = project ? await db.select().from(customers).where(eq(customers.id, project.customerId)) : [];
      const [site] = await db.select().from(sites).where(eq(sites.id, input.siteId));
      const people = input.technicianIds.length ? await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, [...input.technicianIds, input.createdBy])) : [];
      const [request] = await db
        .select({ payload: tasks.payload })
        .from(tasks)
        .where(and(eq(tasks.projectId, input.projectId), eq(tasks.type, 'service_request'), eq(tasks.status, 'done')));
      const names = new Map(people.map((person) => [person.id, person.name]));
      const description = (request?.payload as { description?: string } | undefined)?.description ?? project?.title ?? undefined;

      const pdf = await render(input, {
        company,
        customer: customer ? { name: customer.name, phone: customer.phone ?? undefined, email: customer.email ?? undefined } : undefined,
        site: site ? { address: site.address } : undefined,
        projectTitle: project?.title ?? undefined,
        description,
        name: (id: string) => names.get(id) ?? id,
      });
      const stored = await documentStore.put(Readable.from(pdf));
      await db
        .insert(documents)
        .values({
          id: documentId,
          projectId: input.projectId,
          name: `work-order-${workOrderNumber(input.jobId, input.version)}.pdf`,
          size: stored.size,
          sha256: stored.sha256,
          contentType: 'application/pdf',
          storageKey: stored.key,
          uploadedBy: 'system',
          jobId: input.jobId,
          createdAt: new Date(input.createdAt),
        })
        .onConflictDoNothing();
      await db
        .insert(workOrders)
        .values({ jobId: input.jobId, version: input.version, documentId, reason: input.reason, createdBy: input.createdBy, createdAt: new Date(input.createdAt) })
        .onConflictDoNothing();
      return { documentId };
    },
  };
}

export type WorkOrderActivities = ReturnType<typeof createWorkOrderActivities>;

interface Context {
  company: Company;
  customer?: { name: string; phone?: string; email?: string };
  site?: { address: string };
  projectTitle?: string;
  description?: string;
  name: (id: string) => string;
}

export const money = (cents: number) => `${cents < 0 ? '-' : ''}$${(Math.abs(cents) / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
export const lineTotalCents = (line: Pick<MaterialLine, 'quantity' | 'unitPriceCents'>) => Math.round(line.quantity * line.unitPriceCents);
/** ISO time as "2026-12-01 09:00 (+10:30)", without the server's locale or zone. */
const when = (at: string) => {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::[\d.]+)?(Z|[+-]\d{2}:\d{2})$/.exec(at);
  return match ? `${match[1]} ${match[2]} (${match[3] === 'Z' ? 'UTC' : match[3]})` : at;
};
const minutes = (total: number) => `${Math.floor(total / 60)} h ${total % 60} min`;

/** The PDF's bytes. */
export function render(input: WorkOrderInput, context: Context): Promise<Buffer> {
  const created = new Date(input.createdAt);
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: {
      Title: `Work order ${workOrderNumber(input.jobId, input.version)}`,
      Author: context.company.name,
      Creator: 'Fieldflow',
      Producer: 'Fieldflow (PDFKit)',
      CreationDate: created,
      ModDate: created,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const left = 50;
  const width = doc.page.width - 100;
  const bottom = () => doc.page.height - 70;
  const ensure = (space: number) => {
    if (doc.y + space > bottom()) doc.addPage();
  };
  const heading = (text: string) => {
    ensure(40);
    doc.moveDown(0.8).font('Helvetica-Bold').fontSize(11).fillColor('#1f3b57').text(text, left, doc.y).fillColor('black');
    doc.moveTo(left, doc.y + 2).lineTo(left + width, doc.y + 2).strokeColor('#1f3b57').lineWidth(0.7).stroke();
    doc.moveDown(0.4).font('Helvetica').fontSize(9.5);
  };
  const row = (cells: { text: string; x: number; w: number; align?: 'left' | 'right' }[], bold = false) => {
    ensure(16);
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
    let height = 0;
    for (const cell of cells) height = Math.max(height, doc.heightOfString(cell.text, { width: cell.w }));
    for (const cell of cells) doc.text(cell.text, left + cell.x, y, { width: cell.w, align: cell.align ?? 'left' });
    doc.x = left;
    doc.y = y + height + 3;
  };

  // Header: the company, and the work order's number and version.
  doc.font('Helvetica-Bold').fontSize(16).text(context.company.name, left, 50);
  doc.font('Helvetica').fontSize(9).text(`${context.company.address}  ·  ${context.company.phone}`);
  doc.font('Helvetica-Bold').fontSize(18).text('WORK ORDER', left, 50, { width, align: 'right' });
  doc.font('Helvetica').fontSize(9.5);
  doc.text(`No. ${workOrderNumber(input.jobId, input.version)}`, { width, align: 'right' });
  doc.text(`Version ${input.version} · ${when(input.createdAt)}`, { width, align: 'right' });
  doc.text(`Reason: ${input.reason}`, { width, align: 'right' });
  doc.x = left;
  doc.y = Math.max(doc.y, 110);

  heading('Customer and site');
  const top = doc.y;
  doc.font('Helvetica-Bold').text('Customer', left, top).font('Helvetica');
  doc.text(context.customer?.name ?? 'unknown');
  if (context.customer?.phone) doc.text(`Phone: ${context.customer.phone}`);
  if (context.customer?.email) doc.text(`Email: ${context.customer.email}`);
  const afterCustomer = doc.y;
  doc.font('Helvetica-Bold').text('Site', left + width / 2, top).font('Helvetica');
  doc.text(context.site?.address ?? input.siteId, left + width / 2, doc.y, { width: width / 2 });
  doc.text(`Job: ${input.jobType} visit ${input.sequence} (${input.jobId})`, left + width / 2, doc.y, { width: width / 2 });
  doc.x = left;
  doc.y = Math.max(afterCustomer, doc.y);

  heading('Appointment and technicians');
  doc.text(`Scheduled start: ${input.scheduledStart ? when(input.scheduledStart) : 'not scheduled yet'}`, left);
  doc.text(`Technicians: ${input.technicianIds.length ? input.technicianIds.map(context.name).join(', ') : 'none assigned yet'}`);

  heading('Fault and description');
  if (context.projectTitle) doc.font('Helvetica-Bold').text(context.projectTitle).font('Helvetica');
  if (context.description) doc.text(context.description);
  doc.text(`Fault: ${input.protocol.fault ?? '-'}`);
  doc.text(`Solution: ${input.protocol.solution ?? '-'}`);

  if (input.confirmation) {
    const c = input.confirmation;
    heading('Changes in this version');
    doc.text(`${KINDS[c.kind] ?? c.kind}, raised by ${context.name(c.by)} at ${when(c.at)}: ${c.description}`, left, doc.y, { width });
    for (const line of c.materials) {
      doc.text(`+ ${line.quantity} ${line.unit} ${line.name} (${line.articleNumber}) at ${money(line.unitPriceCents)} = ${money(lineTotalCents(line))}`, left + 10);
    }
    for (const worker of c.workers) doc.text(`+ Technician ${context.name(worker)}`, left + 10);
    doc.x = left;
  }

  heading('Material');
  const materialCols = [
    { x: 0, w: 70 },
    { x: 72, w: 200 },
    { x: 274, w: 55, align: 'right' as const },
    { x: 332, w: 40 },
    { x: 374, w: 60, align: 'right' as const },
    { x: 436, w: width - 436, align: 'right' as const },
  ];
  const cells = (texts: string[]) => texts.map((text, index) => ({ text, ...materialCols[index] }));
  row(cells(['Article', 'Description', 'Qty', 'Unit', 'Unit price', 'Total']), true);
  let materialCents = 0;
  for (const line of input.protocol.materials) {
    const total = lineTotalCents(line);
    materialCents += total;
    row(cells([line.articleNumber, line.name, String(line.quantity), line.unit, money(line.unitPriceCents), money(total)]));
  }
  if (!input.protocol.materials.length) row(cells(['', 'No material recorded yet', '', '', '', '']));

  heading('Work');
  const workCols = [
    { x: 0, w: 300 },
    { x: 302, w: 130 },
    { x: 436, w: width - 436, align: 'right' as const },
  ];
  const workCells = (texts: string[]) => texts.map((text, index) => ({ text, ...workCols[index] }));
  row(workCells(['Description', 'Technician', 'Time']), true);
  let workMinutes = 0;
  for (const line of input.protocol.work) {
    workMinutes += line.minutes;
    row(workCells([line.description, context.name(line.technicianId), minutes(line.minutes)]));
  }
  if (!input.protocol.work.length) row(workCells(['No work recorded yet', '', '']));

  heading('Totals');
  row([{ text: 'Material (excl. tax)', x: 0, w: 300 }, { text: money(materialCents), x: 302, w: width - 302, align: 'right' }]);
  row([{ text: 'Labour time', x: 0, w: 300 }, { text: minutes(workMinutes), x: 302, w: width - 302, align: 'right' }]);

  // Signatures: the technician and the customer, side by side.
  ensure(110);
  doc.moveDown(2);
  const y = doc.y + 40;
  for (const [index, label] of ['Technician', 'Customer'].entries()) {
    const x = left + index * (width / 2 + 10);
    doc.moveTo(x, y).lineTo(x + width / 2 - 10, y).strokeColor('black').lineWidth(0.7).stroke();
    doc.font('Helvetica').fontSize(8.5).text(`${label}: signature, name and date`, x, y + 4, { width: width / 2 - 10 });
  }
  doc.end();
  return done;
}
