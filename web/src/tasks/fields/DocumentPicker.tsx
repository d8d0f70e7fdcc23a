// `documentIds`: pick documents already on the project, or upload one here (it is
// picked at once). The payload names documents by id; the API checks they belong here.
import { useRef, useState } from 'react';
import { ApiError } from '../../api/client';
import { announceDocuments, useDocumentsChanged } from '../../api/documentEvents';
import type { DocumentInfo, Page } from '../../api/types';
import { useResource } from '../../api/useResource';
import { useApi } from '../../auth/session';
import { formatSize } from '../../ui/format';
import { fieldId } from '../errors';
import { unwrap } from '../schema';
import { FieldFrame, labelOf, type FieldProps } from './Field';

export function DocumentPicker({ name, path, schema, required, value, onChange, ctx }: FieldProps) {
  const api = useApi();
  const s = unwrap(schema);
  const id = fieldId(ctx.formId, path);
  const picked = (value as string[] | undefined) ?? [];
  // An upload finishes later; by then the form may hold newer values.
  const latest = useRef({ picked, onChange });
  latest.current = { picked, onChange };
  const documents = useResource((signal) => api.get<Page<DocumentInfo>>(`/projects/${ctx.projectId}/documents`, { signal }), [ctx.projectId]);
  useDocumentsChanged(ctx.projectId, () => void documents.reload());
  const [uploading, setUploading] = useState(false);
  const [uploadError, setUploadError] = useState<string>();

  const toggle = (docId: string, on: boolean) => onChange(on ? [...picked, docId] : picked.filter((idOf) => idOf !== docId));

  async function upload(file: File | undefined) {
    if (!file) return;
    setUploading(true);
    setUploadError(undefined);
    try {
      const stored = await api.upload<DocumentInfo>(`/projects/${ctx.projectId}/documents`, file);
      documents.set({ items: [...(documents.data?.items ?? []), stored], nextCursor: null });
      latest.current.onChange([...latest.current.picked, stored.id]);
      announceDocuments(ctx.projectId);
    } catch (err) {
      setUploadError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setUploading(false);
    }
  }

  const items = documents.data?.items ?? [];
  return (
    <FieldFrame id={id} label={labelOf(name, s)} required={required} hint="Tick the documents that belong to this task, or upload one here." errors={ctx.errors.within(path)} group>
      {documents.loading && !documents.data ? (
        <p className="muted" role="status">
          Loading the project's documents…
        </p>
      ) : items.length === 0 ? (
        <p className="muted">No documents on this project yet. Upload one below.</p>
      ) : (
        <ul className="doc-picks">
          {items.map((doc) => (
            <li key={doc.id}>
              <label className="choice" htmlFor={`${id}-${doc.id}`}>
                <input id={`${id}-${doc.id}`} type="checkbox" checked={picked.includes(doc.id)} disabled={ctx.disabled} onChange={(event) => toggle(doc.id, event.target.checked)} />
                <span>
                  {doc.name} <span className="muted">({formatSize(doc.size)})</span>
                </span>
              </label>
            </li>
          ))}
        </ul>
      )}
      <div className="upload">
        <label htmlFor={`${id}-upload`} className="upload__label">
          Upload a document
        </label>
        <input id={`${id}-upload`} type="file" disabled={ctx.disabled || uploading} onChange={(event) => void upload(event.target.files?.[0]).then(() => (event.target.value = ''))} />
        {uploading && (
          <span className="muted" role="status">
            Uploading…
          </span>
        )}
        {uploadError && (
          <p className="field-error" role="alert">
            {uploadError}
          </p>
        )}
      </div>
    </FieldFrame>
  );
}
