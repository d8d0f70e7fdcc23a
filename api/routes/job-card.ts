// The job card: what an installer needs on the phone for one visit, and nothing more of
// the project (the access policy). Where, who to call, what is wrong, what the office
// said, what is on the site, what happened there before, when, and what to do next.
import { and, desc, eq, inArray, isNotNull, isNull, ne } from 'drizzle-orm';
import { Router } from 'express';
import { assets, customers, jobs, projects, sites, tasks, users } from '../../db/schema';
import { taskType } from '../../workflows/tasks/catalogue';
import { authorize, isOffer, isStaff, jobFacts, myAssignees } from '../access';
import { currentUser } from '../auth';
import type { ApiDeps } from '../deps';
import { notFound } from '../problem';

/** Office tasks whose notes the field should read, in the order they happen. */
const OFFICE_NOTES = new Set(['service_request', 'confirm_job', 'start_job', 'internal_review', 'manufacturer_outcome', 'service_review', 'review_inspection_report']);

/** A link the phone opens in its maps app: coordinates when known, else the address. */
export function mapsUrl(site: { address: string; latitude: number | null; longitude: number | null }): string {
  const query = site.latitude != null && site.longitude != null ? `${site.latitude},${site.longitude}` : site.address;
  return `https://www.google.com/maps/search/?api=1&query=${encodeURIComponent(query)}`;
}

export const telUrl = (phone: string) => `tel:${phone.replace(/[^\d+]/g, '')}`;

export function createJobCardRouter({ database }: ApiDeps): Router {
  const { db } = database;
  const router = Router();

  router.get('/jobs/:id/card', async (req, res) => {
    const user = currentUser(req);
    const facts = await jobFacts(db, req.params.id);
    if (!facts) throw notFound(`no job ${req.params.id}`);
    authorize(user, 'read', { kind: 'job', job: facts }, 'this job is not yours');
    // An offer shows what and where; the customer's phone comes with taking the job.
    const offer = !isStaff(user) && isOffer(facts);

    const [job] = await db.select().from(jobs).where(eq(jobs.id, facts.id));
    const [project] = await db.select().from(projects).where(eq(projects.id, facts.projectId));
    const [site] = await db.select().from(sites).where(eq(sites.id, project!.siteId));
    const [customer] = await db.select().from(customers).where(eq(customers.id, project!.customerId));
    const projectTasks = await db.select().from(tasks).where(eq(tasks.projectId, project!.id));
    const request = projectTasks.find((task) => task.type === 'service_request' && task.status === 'done');
    const requestPayload = (request?.payload ?? {}) as { description?: string; category?: string };
    const notes = projectTasks
      .filter((task) => task.status === 'done' && task.completedAt && OFFICE_NOTES.has(task.type) && (task.jobId === null || task.jobId === job!.id))
      .filter((task) => typeof (task.payload as { note?: unknown } | null)?.note === 'string' && (task.payload as { note: string }).note.trim())
      .sort((a, b) => a.completedAt!.getTime() - b.completedAt!.getTime())
      .map((task) => ({ taskType: task.type, title: taskType(task.type)?.title ?? task.type, note: (task.payload as { note: string }).note, by: task.completedBy, at: task.completedAt!.toISOString() }));
    const equipment = await db
      .select({ id: assets.id, make: assets.make, model: assets.model, serial: assets.serial, installedAt: assets.installedAt })
      .from(assets)
      .where(and(eq(assets.siteId, site!.id), isNull(assets.replacedAt)));
    const visits = await db
      .select({ id: jobs.id, type: jobs.type, outcome: jobs.outcome, completedAt: jobs.completedAt, installerName: users.name })
      .from(jobs)
      .innerJoin(projects, eq(projects.id, jobs.projectId))
      .leftJoin(users, eq(users.id, jobs.installerId))
      .where(and(eq(projects.siteId, site!.id), ne(jobs.id, job!.id), isNotNull(jobs.completedAt)))
      .orderBy(desc(jobs.completedAt))
      .limit(5);
    const mine = new Set(isStaff(user) ? myAssignees(user) : [user.id, 'group:installer']);
    const next = projectTasks
      .filter((task) => task.jobId === job!.id && task.status === 'open' && task.assignee && mine.has(task.assignee))
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .map((task) => ({ id: task.id, type: task.type, title: taskType(task.type)?.title ?? task.type, ...(task.dueAt ? { dueAt: task.dueAt.toISOString() } : {}) }));
    const installers = job!.installerId ? await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, [job!.installerId])) : [];

    res.json({
      job: {
        id: job!.id,
        type: job!.type,
        sequence: job!.sequence,
        status: job!.status,
        ...(job!.outcome ? { outcome: job!.outcome } : {}),
        ...(job!.scheduledStart ? { scheduledStart: job!.scheduledStart.toISOString() } : {}),
        ...(job!.scheduledEnd ? { scheduledEnd: job!.scheduledEnd.toISOString() } : {}),
        ...(installers[0] ? { installer: installers[0] } : {}),
      },
      project: { id: project!.id, kind: project!.kind, ...(project!.title ? { title: project!.title } : {}) },
      site: {
        address: site!.address,
        mapsUrl: mapsUrl(site!),
        ...(site!.nmi ? { nmi: site!.nmi } : {}),
        ...(site!.phases ? { phases: site!.phases } : {}),
      },
      customer: {
        // The office opens the customer's page from the card.
        ...(isStaff(user) ? { id: customer!.id } : {}),
        name: customer!.name,
        ...(!offer && customer!.phone ? { phone: customer!.phone, phoneUrl: telUrl(customer!.phone) } : {}),
        ...(!offer && customer!.email ? { email: customer!.email } : {}),
      },
      problem: {
        ...(requestPayload.description ? { description: requestPayload.description } : project!.title ? { description: project!.title } : {}),
        ...(requestPayload.category ? { category: requestPayload.category } : {}),
      },
      notes: offer ? [] : notes,
      // An offer shows what and where: the site's serials and who visited come with the job.
      equipment: equipment.map((asset) => ({ ...asset, serial: offer ? null : asset.serial, installedAt: asset.installedAt?.toISOString() ?? null })),
      lastVisits: offer ? [] : visits.map((visit) => ({ ...visit, completedAt: visit.completedAt!.toISOString() })),
      next,
    });
  });

  return router;
}
