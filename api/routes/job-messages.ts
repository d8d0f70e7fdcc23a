// The job channel (seed 003): the office and the installer of a job exchange messages,
// with photos, live. A message is written once (its id comes from the Idempotency-Key),
// lands in the job's timeline, and is announced on the change feed so consoles and
// phones refetch at once.
import { and, asc, eq, inArray } from 'drizzle-orm';
import { Router } from 'express';
import { CHANGES_CHANNEL, type ChangeNotice } from '../../activities/read-model';
import { documents, jobMessages, timeline } from '../../db/schema';
import { authorize, installerDocumentScope, jobFacts } from '../access';
import { currentUser } from '../auth';
import type { ApiDeps } from '../deps';
import { idempotencyKey, keyedResource } from '../idempotency';
import { newId } from '../ids';
import { badRequest, notFound } from '../problem';
import { JobMessageBody } from '../schemas';

type MessageRow = typeof jobMessages.$inferSelect;

export const messageView = (row: MessageRow) => ({
  id: row.id,
  jobId: row.jobId,
  author: { id: row.authorId, name: row.authorName ?? row.authorId, role: row.authorRole },
  body: row.body,
  documentIds: row.documentIds,
  createdAt: row.createdAt.toISOString(),
});

export function createJobMessagesRouter({ database }: ApiDeps): Router {
  const { db } = database;
  const router = Router();

  async function channelOf(jobId: string, user: ReturnType<typeof currentUser>) {
    const job = await jobFacts(db, jobId);
    if (!job) throw notFound(`no job ${jobId}`);
    authorize(user, 'message', { kind: 'job', job }, 'this job is not yours');
    return job;
  }

  router.get('/jobs/:id/messages', async (req, res) => {
    const job = await channelOf(req.params.id, currentUser(req));
    const rows = await db.select().from(jobMessages).where(eq(jobMessages.jobId, job.id)).orderBy(asc(jobMessages.createdAt), asc(jobMessages.id));
    res.json({ items: rows.map(messageView), nextCursor: null });
  });

  router.post('/jobs/:id/messages', async (req, res) => {
    const user = currentUser(req);
    const job = await channelOf(req.params.id, user);
    const body = JobMessageBody.parse(req.body);
    const documentIds = [...new Set(body.documentIds ?? [])];
    if (documentIds.length) {
      // Photos are uploaded to the job's project first; the sender must be able to read each.
      // One query: the project's documents among them that this user may read (an installer
      // their own field work, as when they list the project's documents).
      const rows = await db
        .select({ id: documents.id })
        .from(documents)
        .where(and(inArray(documents.id, documentIds), eq(documents.projectId, job.projectId), user.role === 'installer' ? installerDocumentScope(db, user) : undefined));
      const readable = new Set(rows.map((row) => row.id));
      const unknown = documentIds.filter((id) => !readable.has(id));
      if (unknown.length) throw badRequest('documentIds must name documents of this job’s project', unknown.map((id) => ({ path: 'documentIds', message: `no document ${id} here` })));
    }
    const key = idempotencyKey(req);
    const fresh = newId('msg');
    const id = key ? await keyedResource(db, `job-message:${job.id}:${user.id}`, key, body, fresh) : fresh;
    const [existing] = await db.select().from(jobMessages).where(eq(jobMessages.id, id));
    if (existing) {
      res.status(201).json(messageView(existing));
      return;
    }
    const at = new Date();
    const row = await db.transaction(async (tx) => {
      const [inserted] = await tx
        .insert(jobMessages)
        .values({ id, jobId: job.id, projectId: job.projectId, authorId: user.id, authorName: user.name, authorRole: user.role, body: body.body, documentIds, createdAt: at })
        .onConflictDoNothing()
        .returning();
      if (!inserted) return undefined;
      await tx.insert(timeline).values({
        id: `${id}-t`,
        projectId: job.projectId,
        jobId: job.id,
        at,
        kind: 'message',
        actorId: user.id,
        actorRole: user.role,
        summary: `${user.name}: ${body.body.length > 200 ? `${body.body.slice(0, 199)}…` : body.body}`,
        data: { messageId: id, ...(documentIds.length ? { documentIds } : {}) },
      });
      return inserted;
    });
    const saved = row ?? (await db.select().from(jobMessages).where(eq(jobMessages.id, id)))[0]!;
    const notice: ChangeNotice = { projectId: job.projectId, jobId: job.id, messageId: saved.id };
    await database.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, JSON.stringify(notice)]).catch(() => undefined);
    res.status(201).json(messageView(saved));
  });

  return router;
}
