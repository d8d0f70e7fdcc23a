// Uploads are content-addressed under DATA_DIR/documents (sha256), so the same file
// twice takes the space once; the row carries the name and who uploaded it.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { Router } from 'express';
import multer from 'multer';
import { documents } from '../../db/schema';
import { currentUser } from '../auth';
import { visibleProject } from '../access';
import type { ApiDeps } from '../deps';
import { newId } from '../ids';
import { badRequest, forbidden, notFound } from '../problem';

export function createDocumentsRouter({ database, config }: ApiDeps): Router {
  const { db } = database;
  const router = Router();
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: config.maxUploadBytes, files: 1 } });
  const root = path.join(config.dataDir, 'documents');

  router.post('/projects/:id/documents', async (req, res) => {
    const user = currentUser(req);
    if (user.role === 'customer') throw forbidden('customers cannot upload project documents yet');
    const project = await visibleProject(db, user, req.params.id);
    await new Promise<void>((resolve, reject) => upload.single('file')(req, res, (err) => (err ? reject(err) : resolve())));
    const file = req.file;
    if (!file) throw badRequest('send the file as multipart form field "file"', [{ path: 'file', message: 'required' }]);
    const sha256 = crypto.createHash('sha256').update(file.buffer).digest('hex');
    const storageKey = path.join(sha256.slice(0, 2), sha256);
    const target = path.join(root, storageKey);
    await fs.mkdir(path.dirname(target), { recursive: true });
    // Write then rename, so a crash never leaves half a file under the final name.
    const temporary = `${target}.${crypto.randomUUID()}.part`;
    await fs.writeFile(temporary, file.buffer);
    await fs.rename(temporary, target);
    const [row] = await db
      .insert(documents)
      .values({
        id: newId('doc'),
        projectId: project.id,
        name: file.originalname || 'upload',
        size: file.size,
        sha256,
        contentType: file.mimetype || 'application/octet-stream',
        storageKey,
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
    await visibleProject(db, currentUser(req), row.projectId);
    res.setHeader('Content-Type', row.contentType);
    res.setHeader('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(row.name)}`);
    res.setHeader('ETag', `"${row.sha256}"`);
    res.sendFile(path.join(root, row.storageKey));
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
