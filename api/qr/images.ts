// The pictures of a site's QR code (the qrcode package): a PNG or SVG of one code, and a
// printable A4 sheet (pdfkit) with one labelled code per site of a customer, to stick on
// the inverter, the meter box or the plant-room door.
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';

/** `${publicUrl}/qr/<token>`: the public form the code opens. */
export const qrFormUrl = (publicUrl: string, token: string) => `${publicUrl.replace(/\/+$/, '')}/qr/${encodeURIComponent(token)}`;

// M recovers from about 15% damage: a label in the weather loses a corner, not its meaning.
const options = { errorCorrectionLevel: 'M' as const, margin: 4 };

export const qrPng = (url: string, width = 512): Promise<Buffer> => QRCode.toBuffer(url, { ...options, type: 'png', width });
export const qrSvg = (url: string): Promise<string> => QRCode.toString(url, { ...options, type: 'svg' });

export interface SheetLabel {
  address: string;
  url: string;
}

/**
 * The code as vector squares (one rectangle per run of dark modules in a row): sharp at any
 * print size, and far cheaper than encoding a PNG per site for a sheet of many.
 */
function drawCode(doc: PDFKit.PDFDocument, url: string, x: number, y: number, size: number): void {
  const { modules } = QRCode.create(url, { errorCorrectionLevel: options.errorCorrectionLevel });
  const quiet = options.margin;
  const unit = size / (modules.size + 2 * quiet);
  doc.save().fillColor('#000');
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (!modules.get(row, col)) continue;
      let end = col;
      while (end + 1 < modules.size && modules.get(row, end + 1)) end++;
      doc.rect(x + (quiet + col) * unit, y + (quiet + row) * unit, (end - col + 1) * unit, unit);
      col = end;
    }
  }
  doc.fill().restore();
}

const COLUMNS = 2;
const ROWS = 3;
const MARGIN = 36;

/** One label per site: the code, the address, and what to do with it. Six to an A4 page. */
export function qrSheetPdf(customerName: string, labels: SheetLabel[], at: Date): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: `QR codes: ${customerName}`, CreationDate: at, ModDate: at } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const cellWidth = (doc.page.width - 2 * MARGIN) / COLUMNS;
  const cellHeight = (doc.page.height - 2 * MARGIN - 30) / ROWS;
  const heading = () => {
    doc.font('Helvetica-Bold').fontSize(12).fillColor('#000').text(`Report a fault at the site - ${customerName}`, MARGIN, MARGIN, { width: doc.page.width - 2 * MARGIN });
  };
  if (!labels.length) {
    heading();
    doc.font('Helvetica').fontSize(11).text('This customer has no sites yet.', MARGIN, MARGIN + 30);
  }
  labels.forEach((label, index) => {
    const onPage = index % (COLUMNS * ROWS);
    if (onPage === 0) {
      if (index > 0) doc.addPage();
      heading();
    }
    const x = MARGIN + (onPage % COLUMNS) * cellWidth;
    const y = MARGIN + 30 + Math.floor(onPage / COLUMNS) * cellHeight;
    // A dashed frame to cut along.
    doc.save().dash(3, { space: 3 }).strokeColor('#999').rect(x + 4, y + 4, cellWidth - 8, cellHeight - 8).stroke().restore();
    const size = Math.min(cellWidth - 60, cellHeight - 110);
    drawCode(doc, label.url, x + (cellWidth - size) / 2, y + 12, size);
    const textX = x + 16;
    const textWidth = cellWidth - 32;
    doc.font('Helvetica-Bold').fontSize(10).fillColor('#000').text(label.address, textX, y + 16 + size, { width: textWidth, align: 'center', height: 28, ellipsis: true });
    doc
      .font('Helvetica')
      .fontSize(8.5)
      .fillColor('#333')
      .text('Something wrong here? Scan with your phone camera, describe it and send. No account needed; we will contact you.', textX, y + 46 + size, {
        width: textWidth,
        align: 'center',
      });
  });
  doc.end();
  return done;
}
