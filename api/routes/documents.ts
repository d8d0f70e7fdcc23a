// Uploads stream through a sniffer into the document store: never whole in memory, typed
// by their bytes (not by what the client claims), and served back as attachments that a
// browser will not render on this origin.
import { Transform } from 'node:stream';
import { and, asc, desc, eq, ne } from 'drizzle-orm';
import { Router, type Request } from 'express';
import multer, { type StorageEngine } from 'multer';
import type { Db } from '../../db';
import { documents, jobs, projects } from '../../db/schema';
import type { DocumentStore, StoredObject } from '../../runtime/document-store';
import { currentUser, type User } from '../auth';
import { authorize, customerDocumentScope, documentFacts, installerDocumentScope, isStaff, projectFacts, visibleProject } from '../access';
import { SNIFF_BYTES, sniffContentType } from '../content-type';
import type { ApiDeps } from '../deps';
import { newId } from '../ids';
import { limits } from '../limits';
import { badRequest, forbidden, notFound, Problem } from '../problem';
import { storable } from '../../activities/read-model';

interface SniffedFile extends StoredObject {
  contentType: string;
}

/**
 * Removes an object this upload created, unless a document row references it. Objects are
 * content-addressed: someone else's identical upload may have come to rely on the object
 * between our `put` and now, and their file must never go with our failure.
 */
export async function discardUpload(db: Db, store: DocumentStore, stored: Partial<StoredObject>): Promise<void> {
  if (!stored.key || !stored.created) return;
  const [referenced] = await db.select({ id: documents.id }).from(documents).where(eq(documents.storageKey, stored.key)).limit(1);
  if (referenced) return;
  await store.delete(stored.key);
}

/** Errors of the document store itself, as opposed to a body the multipart parser cannot read. */
const storeFailures = new WeakSet<object>();

/** A multer storage engine that puts the file into the store while keeping its head. */
function sniffingStorage(store: DocumentStore, discard: (stored: Partial<StoredObject>) => Promise<void>): StorageEngine {
  return {
    _handleFile(_req, file, done) {
      let head = Buffer.alloc(0);
      let size = 0;
      const tap = new Transform({
        transform(chunk: Buffer, _encoding, next) {
          size += chunk.length;
          if (head.length < SNIFF_BYTES) head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES - head.length)]);
          next(null, chunk);
        },
      });
      file.stream.pipe(tap);
      store.put(tap).then(
        async (stored) => {
          const contentType = sniffContentType(head, file.originalname, size <= SNIFF_BYTES);
          if (contentType) return done(null, { ...stored, contentType } as SniffedFile as Partial<Express.Multer.File>);
          await discard(stored).catch(() => undefined);
          done(new Problem(415, 'Unsupported media type', 'only images, PDF, plain text and office documents can be uploaded'));
        },
        (err) => {
          if (err instanceof Object) storeFailures.add(err);
          done(err);
        },
      );
    },
    _removeFile(_req, file, done) {
      discard(file as unknown as Partial<SniffedFile>).then(() => done(null), done);
    },
  };
}

export function createDocumentsRouter({ database, config, documentStore }: ApiDeps): Router {
  const { db } = database;
  const router = Router();
  const discard = (stored: Partial<StoredObject>) => discardUpload(db, documentStore, stored);
  const upload = multer({ storage: sniffingStorage(documentStore, discard), limits: { fileSize: config.maxUploadBytes, files: 1, fields: 10 } });
  const receive = (req: Request, res: Parameters<ReturnType<typeof upload.single>>[1]) =>
    new Promise<void>((resolve, reject) => upload.single('file')(req, res, (err: unknown) => (err ? reject(unreadableBody(err)) : resolve())));

  router.post('/projects/:id/documents', limits.uploads(config.uploadsPerMinute), async (req, res) => {
    const user = currentUser(req);
    const project = await visibleProject(db, user, String(req.params.id), 'upload');
    await receive(req, res);
    const file = req.file as (Express.Multer.File & SniffedFile) | undefined;
    if (!file) throw badRequest('send the file as multipart form field "file"', [{ path: 'file', message: 'required' }]);
    const jobId = await uploadJob(user, project.id, (req.body as { jobId?: unknown } | undefined)?.jobId).catch(async (err: unknown) => {
      await discard(file).catch(() => undefined);
      throw err;
    });
    const [row] = await db
      .insert(documents)
      .values({
        id: newId('doc'),
        projectId: project.id,
        name: storable(file.originalname || 'upload').slice(0, 255) || 'upload',
        size: file.size,
        sha256: file.sha256,
        contentType: file.contentType,
        storageKey: file.key,
        uploadedBy: user.id,
        jobId,
      })
      .returning();
    res.status(201).location(`/documents/${row.id}`).json(documentView(user, row));
  });

  /**
   * The job an upload belongs to. An installer's upload goes to their running job on the
   * project (the one named by the form's `jobId`, else their latest); staff may name any
   * job of the project, or none.
   */
  async function uploadJob(user: User, projectId: string, named: unknown): Promise<string | null> {
    if (named !== undefined && (typeof named !== 'string' || !named || named.includes('\u0000'))) throw badRequest('jobId must be a job id', [{ path: 'jobId', message: 'not a job id' }]);
    const jobId = named as string | undefined;
    if (user.role === 'installer') {
      const open = await db
        .select({ id: jobs.id })
        .from(jobs)
        .where(and(eq(jobs.projectId, projectId), eq(jobs.installerId, user.id), ne(jobs.status, 'done')))
        .orderBy(desc(jobs.sequence));
      if (jobId && !open.some((job) => job.id === jobId)) throw forbidden('an installer uploads only to an open job of theirs');
      const job = jobId ?? open[0]?.id;
      if (!job) throw forbidden('you have no open job on this project');
      return job;
    }
    if (!jobId) return null;
    const [job] = await db.select({ id: jobs.id }).from(jobs).where(and(eq(jobs.id, jobId), eq(jobs.projectId, projectId)));
    if (!job) throw badRequest('jobId must be a job of this project', [{ path: 'jobId', message: `no job ${jobId} on this project` }]);
    return job.id;
  }

  // The project's documents, oldest first, so consoles can list and pick them. An
  // installer lists only their field work (see `installerDocumentScope`).
  router.get('/projects/:id/documents', async (req, res) => {
    const user = currentUser(req);
    const project = await visibleProject(db, user, req.params.id);
    const rows = await db
      .select()
      .from(documents)
      .where(and(eq(documents.projectId, project.id), user.role === 'installer' ? installerDocumentScope(db, user) : user.role === 'customer' ? customerDocumentScope() : undefined))
      .orderBy(asc(documents.createdAt), asc(documents.id));
    res.json({ items: rows.map((row) => documentView(user, row)), nextCursor: null });
  });

  router.get('/documents/:id', async (req, res) => {
    const [row] = await db.select().from(documents).where(eq(documents.id, req.params.id));
    if (!row) throw notFound(`no document ${req.params.id}`);
    const [project] = await db.select().from(projects).where(eq(projects.id, row.projectId));
    const facts = await projectFacts(db, project!);
    authorize(currentUser(req), 'read', { kind: 'document', document: await documentFacts(db, row, facts) }, 'this document is not yours');
    const content = await documentStore.get(row.storageKey).catch(() => {
      throw notFound(`the file of document ${row.id} is missing`);
    });
    // Older rows carry the type the client claimed: never let a browser render or sniff it here.
    res.setHeader('Content-Type', row.contentType);
    res.setHeader('Content-Length', String(row.size));
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(row.name)}`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.setHeader('ETag', `"${row.sha256}"`);
    content.pipe(res);
  });

  return router;
}

/** Who uploaded what is for staff; an installer also sees which job a document is of. */
function documentView(reader: User, row: typeof documents.$inferSelect) {
  return {
    id: row.id,
    name: row.name,
    size: row.size,
    sha256: row.sha256,
    contentType: row.contentType,
    projectId: row.projectId,
    ...(row.jobId && reader.role !== 'customer' ? { jobId: row.jobId } : {}),
    ...(isStaff(reader) ? { uploadedBy: row.uploadedBy } : {}),
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * What the multipart parser (busboy, under multer) throws for a body it cannot read, such
 * as a malformed part header or a missing boundary, is the client's mistake: a 400. Our
 * own refusals (Problem), multer's limits and the store's failures keep their meaning.
 */
function unreadableBody(err: unknown): unknown {
  if (err instanceof Problem || (err as { name?: string })?.name === 'MulterError' || !(err instanceof Error) || storeFailures.has(err)) return err;
  return badRequest(`the multipart body could not be read: ${err.message}`);
}
