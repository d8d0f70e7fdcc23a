// The invoice draft as a PDF (pdfkit): made on request from the draft, never stored,
// because a draft changes with the protocol until the invoice is issued elsewhere.
import PDFDocument from 'pdfkit';
import type { InvoiceDraft } from './invoice';

export interface InvoiceParties {
  company: string;
  customer: { name: string; email?: string | null; phone?: string | null };
  site: { address: string };
  projectTitle?: string | null;
}

const money = (cents: number, currency: string) =>
  `${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).replace(/,/g, ' ')} ${currency}`;

export function invoicePdf(draft: InvoiceDraft, parties: InvoiceParties, at: Date): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `Invoice draft ${draft.projectId}`, CreationDate: at, ModDate: at } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.font('Helvetica-Bold').fontSize(18).text(parties.company);
  doc.font('Helvetica').fontSize(10).fillColor('#555').text('INVOICE DRAFT - not a tax invoice', { align: 'right' });
  doc.fillColor('#000').moveDown();
  doc.font('Helvetica-Bold').text('Bill to');
  doc.font('Helvetica').text(parties.customer.name);
  if (parties.customer.email) doc.text(parties.customer.email);
  if (parties.customer.phone) doc.text(parties.customer.phone);
  doc.moveDown(0.5).font('Helvetica-Bold').text('Site');
  doc.font('Helvetica').text(parties.site.address);
  doc.moveDown(0.5).text(`Project ${draft.projectId}${parties.projectTitle ? ` - ${parties.projectTitle}` : ''}`);
  doc.text(`Date ${at.toISOString().slice(0, 10)}`);
  doc.moveDown();

  const columns = [
    { title: 'Description', x: 50, width: 220, align: 'left' as const },
    { title: 'Qty', x: 270, width: 50, align: 'right' as const },
    { title: 'Unit', x: 325, width: 40, align: 'left' as const },
    { title: 'Unit price', x: 365, width: 85, align: 'right' as const },
    { title: 'Amount', x: 455, width: 90, align: 'right' as const },
  ];
  const row = (cells: string[], bold = false) => {
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica');
    const heights = cells.map((cell, i) => doc.heightOfString(cell, { width: columns[i].width }));
    cells.forEach((cell, i) => doc.text(cell, columns[i].x, y, { width: columns[i].width, align: columns[i].align }));
    doc.x = 50;
    doc.y = y + Math.max(...heights) + 4;
  };
  row(columns.map((c) => c.title), true);
  doc.moveTo(50, doc.y).lineTo(545, doc.y).stroke();
  doc.moveDown(0.3);
  for (const line of draft.lines) {
    const label = line.articleNumber ? `${line.articleNumber} ${line.description}` : line.description;
    row([label, String(line.quantity), line.unit, money(line.unitPriceCents, draft.currency), money(line.amountCents, draft.currency)]);
  }
  if (!draft.lines.length) row(['No material or work recorded yet', '', '', '', '']);
  doc.moveTo(50, doc.y).lineTo(545, doc.y).stroke();
  doc.moveDown(0.3);
  const totals: [string, number][] = [
    ['Subtotal', draft.subtotalCents],
    [`Tax ${draft.taxBasisPoints / 100} %`, draft.taxCents],
    ['Total', draft.totalCents],
  ];
  for (const [label, cents] of totals) row([label, '', '', '', money(cents, draft.currency)], label === 'Total');
  doc.end();
  return done;
}
