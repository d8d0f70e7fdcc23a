// The article registrations of a period as an Excel workbook (exceljs): one row per
// registration, money as numbers in the currency's format (so a spreadsheet can sum
// them), a totals row whose formula carries its computed value, the header frozen and
// filterable.
import ExcelJS from 'exceljs';
import { totalCents, type Registration } from './article-registrations';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface WorkbookFacts {
  currency: string;
  /** As asked (days or instants), for the title of the sheet's properties. */
  from?: string | undefined;
  to?: string | undefined;
  generatedAt: Date;
}

const COLUMNS: { header: string; key: keyof Registration | 'total'; width: number }[] = [
  { header: 'Date', key: 'date', width: 12 },
  { header: 'Case', key: 'projectId', width: 28 },
  { header: 'Title', key: 'title', width: 28 },
  { header: 'Customer', key: 'customerName', width: 28 },
  { header: 'Site', key: 'siteAddress', width: 36 },
  { header: 'Article number', key: 'articleNumber', width: 16 },
  { header: 'Article', key: 'name', width: 32 },
  { header: 'Quantity', key: 'quantity', width: 10 },
  { header: 'Unit', key: 'unit', width: 8 },
  { header: 'Unit price', key: 'unitPriceCents', width: 14 },
  { header: 'Line total', key: 'amountCents', width: 16 },
];

const dayAsDate = (day: string) => {
  // Excel dates have no zone: the company's day, written as that day at UTC midnight.
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d!));
};

export async function articlesWorkbook(rows: Registration[], facts: WorkbookFacts): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Fieldflow';
  workbook.created = facts.generatedAt;
  workbook.title = `Article registrations${facts.from ? ` from ${facts.from}` : ''}${facts.to ? ` to ${facts.to}` : ''}`;
  const sheet = workbook.addWorksheet('Registrations', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map(({ header, key, width }) => ({ header, key, width }));
  const money = `#,##0.00 "${facts.currency.replace(/"/g, '')}"`;
  sheet.getColumn('date').numFmt = 'yyyy-mm-dd';
  sheet.getColumn('quantity').numFmt = '#,##0.###';
  sheet.getColumn('unitPriceCents').numFmt = money;
  sheet.getColumn('amountCents').numFmt = money;
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle' };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: COLUMNS.length } };

  for (const row of rows) {
    sheet.addRow({
      date: dayAsDate(row.date),
      projectId: row.projectId,
      title: row.title ?? '',
      customerName: row.customerName,
      siteAddress: row.siteAddress,
      articleNumber: row.articleNumber,
      name: row.name,
      quantity: row.quantity,
      unit: row.unit,
      // Cents to currency units once, from whole cents: 1234 -> 12.34 exactly as Excel stores 12.34.
      unitPriceCents: row.unitPriceCents / 100,
      amountCents: row.amountCents / 100,
    });
  }

  const amountColumn = sheet.getColumn('amountCents').letter;
  const last = rows.length + 1;
  const totals = sheet.addRow({ date: null, projectId: `Total (${rows.length} registration${rows.length === 1 ? '' : 's'})` });
  totals.getCell('amountCents').value = rows.length
    ? { formula: `SUM(${amountColumn}2:${amountColumn}${last})`, result: totalCents(rows) / 100 }
    : 0;
  totals.font = { bold: true };
  totals.getCell('amountCents').border = { top: { style: 'thin' } };

  return Buffer.from(await workbook.xlsx.writeBuffer());
}
