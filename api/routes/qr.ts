// QR intake (API.md, "Routes for the customer side"): every site has a printed code that
// opens a public deviation form, `/qr/<token>`. Submitting it starts a case like any other
// (api/start-project.ts), raised by the customer, without an account. The office (and the
// site's own customer) get the code as PNG or SVG and a printable sheet of all a customer's
// sites; the office revokes a code that got out of hand, and the next one is made on demand.
import { asc, eq } from 'drizzle-orm';
import { Router } from 'express';
import { customers, sites } from '../../db/schema';
import { authorize, siteFacts } from '../access';
import { currentUser, type User } from '../auth';
import type { ApiDeps } from '../deps';
import { idempotencyKey, keyedResource } from '../idempotency';
import { newId } from '../ids';
import { limits } from '../limits';
import { notFound } from '../problem';
import { qrFormUrl, qrPng, qrSheetPdf, qrSvg } from '../qr/images';
import { emailHint, phoneHint, QR_CATEGORIES, QrCaseBody, QrFormat } from '../qr/schemas';
import { currentQrToken, openQrToken, readQrToken, revokeQrToken } from '../qr/token';
import { caseTitle, startProject } from '../start-project';

/** The public form: what the code opens, and the case it sends. Mounted before sign-in. */
export function createQrFormRouter({ database, temporal, config, logger }: ApiDeps): Router {
  const { db } = database;
  const router = Router();
  const perAddress = limits.qrFormPerAddress();
  const perToken = limits.qrFormPerToken((token) => readQrToken(config.jwtSecret, token) !== undefined);

  // A browser gets the console's page here (mountConsole answers HTML first); this is the JSON.
  router.get('/qr/:token', limits.qrLookups(), async (req, res) => {
    const { site, customer } = await openQrToken(db, config.jwtSecret, String(req.params.token));
    // A stranger who photographs the code learns the address (they stand there) and the
    // customer's name (on the letterbox); the phone and email on file only as hints.
    const phone = phoneHint(customer.phone);
    const email = emailHint(customer.email);
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      siteAddress: site.address,
      customerName: customer.name,
      contactName: customer.name,
      ...(phone ? { phoneOnFile: phone } : {}),
      ...(email ? { emailOnFile: email } : {}),
      categories: QR_CATEGORIES,
    });
  });

  router.post('/qr/:token/cases', perAddress, perToken, async (req, res) => {
    // The token first: a refused code starts nothing, whatever the body says.
    const { token, site, customer } = await openQrToken(db, config.jwtSecret, String(req.params.token));
    const body = QrCaseBody.parse(req.body);
    const key = idempotencyKey(req);
    const projectId = key ? await keyedResource(db, `POST /qr/${token.id}/cases`, key, body, newId('prj')) : newId('prj');
    const category = body.category ?? 'other';
    const view = await startProject(
      { database, temporal, config },
      {
        kind: 'service',
        projectId,
        mayExist: Boolean(key),
        customer,
        site,
        title: caseTitle('deviation', category),
        // Nobody signed in: the actor names the code it came through.
        createdBy: { id: `qr:${token.id}`, role: 'customer', name: 'QR form at the site' },
        raisedBy: 'customer',
        request: {
          kind: 'deviation',
          category,
          description: body.description,
          source: 'qr',
          ...(body.contactName ? { contactName: body.contactName } : {}),
          ...(body.contactPhone ? { contactPhone: body.contactPhone } : {}),
          ...(body.contactEmail ? { contactEmail: body.contactEmail } : {}),
        },
      },
    );
    logger.info({ projectId: view.id, siteId: site.id, qrTokenId: token.id }, 'case raised through a QR code');
    res.status(201).json({ caseId: view.id });
  });

  return router;
}

/** The codes themselves: images, the printable sheet, revoking. Signed-in users only. */
export function createQrCodesRouter({ database, config }: ApiDeps): Router {
  const { db } = database;
  const router = Router();
  const publicUrl = () => config.publicUrl ?? `http://127.0.0.1:${config.port}`;

  /** The site (404 when unknown) if the user may have its code: staff and its own customer. */
  const siteFor = async (user: User, id: string, action: 'read' | 'update') => {
    const facts = await siteFacts(db, id);
    if (!facts) throw notFound(`no site ${id}`);
    if (action === 'read') authorize(user, 'read', { kind: 'customer', customerId: facts.customerId }, 'this site is not yours');
    else authorize(user, 'update', { kind: 'site', site: facts }, 'only office staff revoke QR codes');
    const [row] = await db.select().from(sites).where(eq(sites.id, facts.id));
    return row!;
  };

  router.get('/sites/:id/qr', async (req, res) => {
    const user = currentUser(req);
    const { format = 'png' } = QrFormat.parse(req.query);
    const site = await siteFor(user, req.params.id, 'read');
    const { token } = await currentQrToken(db, config.jwtSecret, site.id, config.qrTokenTtl, user.id);
    const url = qrFormUrl(publicUrl(), token);
    res.setHeader('Cache-Control', 'private, no-cache');
    res.setHeader('Content-Disposition', `inline; filename="qr-${site.id}.${format}"`);
    if (format === 'svg') res.type('image/svg+xml').send(await qrSvg(url));
    else res.type('image/png').send(await qrPng(url));
  });

  router.post('/sites/:id/qr/revoke', async (req, res) => {
    const user = currentUser(req);
    const site = await siteFor(user, req.params.id, 'update');
    const revoked = await revokeQrToken(db, site.id, user.id);
    req.log?.info({ siteId: site.id, qrTokenId: revoked?.id, by: user.id }, 'QR code revoked');
    res.json({ siteId: site.id, revoked: Boolean(revoked) });
  });

  router.get('/customers/:id/qr-sheet', async (req, res) => {
    const user = currentUser(req);
    // Whether the customer exists is told only to those who may read it.
    authorize(user, 'read', { kind: 'customer', customerId: req.params.id }, 'this customer is not yours');
    const [customer] = await db.select().from(customers).where(eq(customers.id, req.params.id));
    if (!customer) throw notFound(`no customer ${req.params.id}`);
    const rows = await db.select().from(sites).where(eq(sites.customerId, customer.id)).orderBy(asc(sites.createdAt), asc(sites.id)).limit(500);
    const labels = [];
    for (const site of rows) {
      const { token } = await currentQrToken(db, config.jwtSecret, site.id, config.qrTokenTtl, user.id);
      labels.push({ address: site.address, url: qrFormUrl(publicUrl(), token) });
    }
    const pdf = await qrSheetPdf(customer.name, labels, new Date());
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="qr-codes-${customer.id}.pdf"`);
    res.setHeader('Cache-Control', 'private, no-cache');
    res.send(pdf);
  });

  return router;
}
