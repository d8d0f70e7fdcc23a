// Cases: a service project raised with a kind, a category and what is wrong, by a
// customer in the portal or by the office for a customer (API.md, "Routes for the
// customer side"). Every case is a `serviceProject`, started by api/start-project.ts.
import { eq } from 'drizzle-orm';
import { Router } from 'express';
import { customers, sites } from '../../db/schema';
import { authorize, isStaff } from '../access';
import { currentUser } from '../auth';
import type { ApiDeps } from '../deps';
import { idempotencyKey, keyedResource } from '../idempotency';
import { newId } from '../ids';
import { limits } from '../limits';
import { badRequest, forbidden } from '../problem';
import { CaseBody } from '../schemas';
import { caseTitle, startProject } from '../start-project';
import { projectViewFor } from '../views';

export function createCasesRouter({ database, temporal, config }: ApiDeps): Router {
  const { db } = database;
  const router = Router();

  router.post('/cases', limits.cases(config.casesPerHour), async (req, res) => {
    const user = currentUser(req);
    if (user.role !== 'customer' && !isStaff(user)) throw forbidden('only customers and the office raise cases');
    const body = CaseBody.parse(req.body);
    // A customer raises cases for their own customer only; the office names the customer.
    const customerId = user.role === 'customer' ? user.customerId : body.customerId;
    if (!customerId) throw badRequest('the customer is missing', [{ path: 'customerId', message: 'staff name the customer the case is for' }]);
    authorize(user, 'raiseCase', { kind: 'customer', customerId }, 'you raise cases for your own sites only');
    if (user.role === 'customer' && body.customerId && body.customerId !== customerId) {
      throw badRequest('not your customer', [{ path: 'customerId', message: 'leave it out: your cases are for your own customer' }]);
    }
    const [customer] = await db.select().from(customers).where(eq(customers.id, customerId));
    if (!customer) throw badRequest('unknown customer', [{ path: 'customerId', message: `no customer ${customerId}` }]);
    const [site] = await db.select().from(sites).where(eq(sites.id, body.siteId));
    // The same answer for a site that does not exist and one of another customer's: no leak by id.
    if (!site || site.customerId !== customer.id) throw badRequest('unknown site', [{ path: 'siteId', message: `no site ${body.siteId} of this customer` }]);
    const key = idempotencyKey(req);
    const projectId = key ? await keyedResource(db, `POST /cases ${user.id}`, key, body, newId('prj')) : newId('prj');
    const kind = body.kind ?? 'issue';
    const view = await startProject(
      { database, temporal, config },
      {
        kind: 'service',
        projectId,
        mayExist: Boolean(key),
        customer,
        site,
        title: caseTitle(kind, body.category),
        createdBy: { id: user.id, role: user.role, name: user.name },
        raisedBy: user.role === 'customer' ? 'customer' : (body.raisedBy ?? 'customer'),
        request: { kind, category: body.category, description: body.description, source: user.role === 'customer' ? 'portal' : 'office' },
      },
    );
    res.status(201).location(`/projects/${projectId}`).json(projectViewFor(user, view));
  });

  return router;
}
