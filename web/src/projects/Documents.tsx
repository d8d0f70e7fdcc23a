// The project's documents: upload (multipart to POST /projects/:id/documents) and
// download (fetched with the token, then saved, since links cannot carry it).
import { saveBlob } from '../api/saveBlob';
import { useState } from 'react';
import { ApiError } from '../api/client';
import { announceDocuments } from '../api/documentEvents';
import type { DocumentInfo } from '../api/types';
import { useApi } from '../auth/session';
import { formatPerson, formatShort, formatSize } from '../ui/format';

export function Documents({ projectId, documents, loading, meId }: { projectId: string; documents: DocumentInfo[]; loading: boolean; meId: string }) {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function upload(input: HTMLInputElement) {
    const file = input.files?.[0];
    if (!file) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.upload(`/projects/${encodeURIComponent(projectId)}/documents`, file);
      input.value = '';
      announceDocuments(projectId);
    } catch (err) {
      setError(err instanceof ApiError ? (err.status === 413 ? 'That file is too large.' : err.message) : String(err));
    } finally {
      setBusy(false);
    }
  }

  async function download(doc: DocumentInfo) {
    try {
      const blob = await api.blob(`/documents/${encodeURIComponent(doc.id)}`);
      saveBlob(blob, doc.name);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <div className="stack stack--tight">
      {loading && !documents.length ? (
        <p className="muted" role="status">
          Loading documents…
        </p>
      ) : documents.length === 0 ? (
        <p className="muted">No documents yet.</p>
      ) : (
        <ul className="doc-list" data-testid="documents">
          {documents.map((doc) => (
            <li key={doc.id} className="doc-list__item">
              <span className="doc-list__name">
                <span aria-hidden="true" className="doc-list__icon">
                  ▤
                </span>
                {doc.name}
                <span className="muted small block">
                  {formatSize(doc.size)} · {formatShort(doc.createdAt)}
                  {doc.uploadedBy ? ` · ${formatPerson(doc.uploadedBy, meId)}` : ''}
                </span>
              </span>
              <button type="button" className="button button--small" onClick={() => void download(doc)}>
                Download<span className="visually-hidden"> {doc.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="upload">
        <label htmlFor="project-upload" className="upload__label">
          Upload a document
        </label>
        <input id="project-upload" type="file" disabled={busy} onChange={(event) => void upload(event.currentTarget)} />
        {busy && (
          <span className="muted" role="status">
            Uploading…
          </span>
        )}
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
