// Uploads stream through a sniffer into the document store: never whole in memory, typed
// by their bytes (not by what the client claims), and served back as attachments that a
// browser will not render on this origin.
import { Transform } from 'node:stream';
import { asc, eq } from 'drizzle-orm';
import { Router, type Request } from 'express';
import multer, { type StorageEngine } from 'multer';
import { documents, projects } from '../../db/schema';
import type { DocumentStore, StoredObject } from '../../runtime/document-store';
import { currentUser } from '../auth';
import { authorize, projectFacts, visibleProject } from '../access';
import { SNIFF_BYTES, sniffContentType } from '../content-type';
import type { ApiDeps } from '../deps';
import { newId } from '../ids';
import { limits } from '../limits';
import { badRequest, notFound, Problem } from '../problem';

interface SniffedFile extends StoredObject {
  contentType: string;
}

/** A multer storage engine that puts the file into the store while keeping its head. */
function sniffingStorage(store: DocumentStore): StorageEngine {
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
          if (stored.created) await store.delete(stored.key).catch(() => undefined);
          done(new Problem(415, 'Unsupported media type', 'only images, PDF, plain text and office documents can be uploaded'));
        },
        (err) => done(err),
      );
    },
    _removeFile(_req, file, done) {
      const stored = file as unknown as Partial<SniffedFile>;
      if (!stored.key || !stored.created) return done(null);
      store.delete(stored.key).then(() => done(null), done);
    },
  };
}

export function createDocumentsRouter({ database, config, documentStore }: ApiDeps): Router {
  const { db } = database;
  const router = Router();
  const upload = multer({ storage: sniffingStorage(documentStore), limits: { fileSize: config.maxUploadBytes, files: 1, fields: 10 } });
  const receive = (req: Request, res: Parameters<ReturnType<typeof upload.single>>[1]) =>
    new Promise<void>((resolve, reject) => upload.single('file')(req, res, (err: unknown) => (err ? reject(err) : resolve())));

  router.post('/projects/:id/documents', limits.uploads(), async (req, res) => {
    const user = currentUser(req);
    const project = await visibleProject(db, user, String(req.params.id), 'upload');
    await receive(req, res);
    const file = req.file as (Express.Multer.File & SniffedFile) | undefined;
    if (!file) throw badRequest('send the file as multipart form field "file"', [{ path: 'file', message: 'required' }]);
    const [row] = await db
      .insert(documents)
      .values({
        id: newId('doc'),
        projectId: project.id,
        name: (file.originalname || 'upload').slice(0, 255),
        size: file.size,
        sha256: file.sha256,
        contentType: file.contentType,
        storageKey: file.key,
        uploadedBy: user.id,
      })
      .returning();
    res.status(201).location(`/documents/${row.id}`).json(documentView(row));
  });

  // The project's documents, oldest first, so consoles can list and pick them.
  router.get('/projects/:id/documents', async (req, res) => {
    const project = await visibleProject(db, currentUser(req), req.params.id);
    const rows = await db.select().from(documents).where(eq(documents.projectId, project.id)).orderBy(asc(documents.createdAt), asc(documents.id));
    res.json({ items: rows.map(documentView), nextCursor: null });
  });

  router.get('/documents/:id', async (req, res) => {
    const [row] = await db.select().from(documents).where(eq(documents.id, req.params.id));
    if (!row) throw notFound(`no document ${req.params.id}`);
    const [project] = await db.select().from(projects).where(eq(projects.id, row.projectId));
    authorize(currentUser(req), 'read', { kind: 'document', project: await projectFacts(db, project!) }, 'this document is not yours');
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

function documentView(row: typeof documents.$inferSelect) {
  return {
    id: row.id,
    name: row.name,
    size: row.size,
    sha256: row.sha256,
    contentType: row.contentType,
    projectId: row.projectId,
    uploadedBy: row.uploadedBy,
    createdAt: row.createdAt.toISOString(),
  };
}
