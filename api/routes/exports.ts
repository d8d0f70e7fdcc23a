// Exports for the office: the article registrations of a period as an Excel workbook.
// Staff only: it spans every customer.
import { Router } from 'express';
import { authorize } from '../access';
import { articleRegistrations } from '../article-registrations';
import { articlesWorkbook, XLSX_TYPE } from '../articles-workbook';
import { currentUser } from '../auth';
import type { ApiDeps } from '../deps';
import { PeriodQuery } from '../period';

export function createExportsRouter({ database, config }: ApiDeps): Router {
  const router = Router();

  router.get('/exports/articles.xlsx', async (req, res) => {
    authorize(currentUser(req), 'read', { kind: 'reports' }, 'exports are the office’s');
    const period = PeriodQuery.parse(req.query);
    const rows = await articleRegistrations(database, { period, timeZone: config.companyTimeZone });
    const workbook = await articlesWorkbook(rows, { currency: config.invoice.currency, ...period, generatedAt: new Date() });
    const name = ['articles', period.from, period.to].filter(Boolean).join('_').replace(/[^A-Za-z0-9_.-]/g, '-');
    res.setHeader('Content-Type', XLSX_TYPE);
    res.setHeader('Content-Disposition', `attachment; filename="${name}.xlsx"`);
    res.setHeader('Cache-Control', 'no-store');
    res.send(workbook);
  });

  return router;
}
