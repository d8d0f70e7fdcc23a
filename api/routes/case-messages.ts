// A case's thread (issue 11): the customer's contacts and the office write to each other
// about one case, both ways. A message is written once (its id comes from the
// Idempotency-Key), lands in the case's timeline (customers see it there too), tells the
// other side (api/case-thread.ts) and is announced on the change feed, so open pages show
// it at once. Installers are not part of it: they talk to the office in their job's channel.
import { and, asc, eq, gt, inArray, or } from 'drizzle-orm';
import { Router } from 'express';
import { CHANGES_CHANNEL, type ChangeNotice } from '../../activities/read-model';
import { caseMessages, documents } from '../../db/schema';
import { authorize, customerDocumentScope, visibleProject } from '../access';
import { currentUser, type User } from '../auth';
import { CaseMessageBody, CaseMessageQuery, MAX_CASE_MESSAGE_DOCUMENTS } from '../case-message-schemas';
import { announceCaseMessage, caseMessageView } from '../case-thread';
import type { ApiDeps } from '../deps';
import { idempotencyKey, keyedResource } from '../idempotency';
import { newId } from '../ids';
import { cursorTime, decodeCursor, page } from '../paging';
import { badRequest, fieldsDetail, zodErrors, type FieldError } from '../problem';

export function createCaseMessagesRouter({ database, config }: ApiDeps): Router {
  const { db } = database;
  const router = Router();

  /** The project if this user may read and write its thread: 404 unknown, 403 not theirs. */
  async function threadOf(projectId: string, user: User) {
    const project = await visibleProject(db, user, projectId);
    authorize(user, 'message', { kind: 'project', project: project.facts }, "the case's messages are the customer's and the office's");
    return project;
  }

  router.get('/projects/:id/messages', async (req, res) => {
    const user = currentUser(req);
    const project = await threadOf(req.params.id, user);
    const query = CaseMessageQuery.parse(req.query);
    const after = decodeCursor(query.cursor);
    let position;
    if (after) {
      const at = after.length === 2 && typeof after[0] === 'string' && typeof after[1] === 'string' && !after[1].includes('\u0000') ? cursorTime(after[0]) : undefined;
      // Only the times this API writes (PostgreSQL refuses years outside its range).
      if (!at || at.getUTCFullYear() < 2000 || at.getUTCFullYear() > 9999) throw badRequest('the cursor is not one this API gave out', [{ path: 'cursor', message: 'invalid cursor' }]);
      position = or(gt(caseMessages.createdAt, at), and(eq(caseMessages.createdAt, at), gt(caseMessages.id, String(after[1]))));
    }
    const rows = await db
      .select()
      .from(caseMessages)
      .where(and(eq(caseMessages.projectId, project.id), position))
      .orderBy(asc(caseMessages.createdAt), asc(caseMessages.id))
      .limit(query.limit + 1);
    const { items, nextCursor } = page(rows, query.limit, (row) => [row.createdAt.toISOString(), row.id]);
    res.json({ items: items.map((row) => caseMessageView(user, row)), nextCursor });
  });

  router.post('/projects/:id/messages', async (req, res) => {
    const user = currentUser(req);
    const project = await threadOf(req.params.id, user);
    const parsed = CaseMessageBody.safeParse(req.body);
    const errors: FieldError[] = parsed.success ? [] : zodErrors(parsed.error);
    // Attachments are documents of this case that its customer may read too (never the
    // office's work orders or the field's channel photos), so both sides can open them.
    const raw = (req.body as { documentIds?: unknown } | undefined)?.documentIds;
    const listed = Array.isArray(raw) && raw.length <= MAX_CASE_MESSAGE_DOCUMENTS && raw.every((value) => typeof value === 'string' && value.length > 0);
    const documentIds = listed ? [...new Set(raw as string[])] : [];
    if (documentIds.length) {
      const rows = await db
        .select({ id: documents.id })
        .from(documents)
        .where(and(inArray(documents.id, documentIds), eq(documents.projectId, project.id), customerDocumentScope()));
      const readable = new Set(rows.map((row) => row.id));
      for (const id of documentIds.filter((candidate) => !readable.has(candidate))) errors.push({ path: 'documentIds', message: `no document ${id} of this case that the customer may read` });
    }
    if (!parsed.success || errors.length) throw badRequest(fieldsDetail(errors), errors);
    const body = parsed.data;

    const key = idempotencyKey(req);
    const fresh = newId('cmsg');
    const id = key ? await keyedResource(db, `case-message:${project.id}:${user.id}`, key, body, fresh) : fresh;
    const [existing] = await db.select().from(caseMessages).where(eq(caseMessages.id, id));
    if (existing) {
      res.status(201).json(caseMessageView(user, existing));
      return;
    }
    const inserted = await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(caseMessages)
        .values({ id, projectId: project.id, authorId: user.id, authorName: user.name, authorRole: user.role, body: body.body, documentIds, createdAt: new Date() })
        .onConflictDoNothing()
        .returning();
      // A concurrent request with the same key wrote it first: it told the other side.
      if (row) await announceCaseMessage(tx, config, { id: project.id, customerId: project.customerId, title: project.title }, row);
      return row;
    });
    const saved = inserted ?? (await db.select().from(caseMessages).where(eq(caseMessages.id, id)))[0]!;
    const notice: ChangeNotice = { projectId: project.id, caseMessageId: saved.id, notified: true };
    await database.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, JSON.stringify(notice)]).catch(() => undefined);
    res.status(201).location(`/projects/${project.id}/messages`).json(caseMessageView(user, saved));
  });

  return router;
}
