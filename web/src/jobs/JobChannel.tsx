// The job channel: the office and the installer write to each other about this job, with
// photos taken by the phone's camera. New messages arrive live (the page's stream).
import { useRef, useState, type FormEvent } from 'react';
import { ApiError, newIdempotencyKey } from '../api/client';
import type { Resource } from '../api/useResource';
import { useApi, useSession } from '../auth/session';
import { formatShort } from '../ui/format';
import { DocumentThumb } from './DocumentThumb';
import type { JobMessage } from './types';

export function JobChannel({ jobId, projectId, messages }: { jobId: string; projectId: string; messages: Resource<{ items: JobMessage[] }> }) {
  const api = useApi();
  const { user } = useSession();
  const [text, setText] = useState('');
  const [photos, setPhotos] = useState<{ id: string; name: string }[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  // One key per message being written, so a retry after a lost answer posts it once.
  const key = useRef(newIdempotencyKey());

  const attach = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    setBusy(true);
    setError(undefined);
    try {
      const document = await api.upload<{ id: string; name: string }>(`/projects/${encodeURIComponent(projectId)}/documents`, file);
      setPhotos((current) => [...current, { id: document.id, name: document.name }]);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
      input.value = '';
    }
  };

  const send = async (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) {
      setError('Write a message first.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await api.post(`/jobs/${encodeURIComponent(jobId)}/messages`, { body: text, ...(photos.length ? { documentIds: photos.map((p) => p.id) } : {}) }, { idempotencyKey: key.current });
      key.current = newIdempotencyKey();
      setText('');
      setPhotos([]);
      await messages.reload();
    } catch (err) {
      setError(err instanceof ApiError ? (err.fieldErrors[0]?.message ?? err.message) : String(err));
    } finally {
      setBusy(false);
    }
  };

  const items = messages.data?.items ?? [];
  return (
    <section className="card channel" aria-label="Job channel">
      <h2 className="card__title">Messages</h2>
      {items.length === 0 ? (
        <p className="muted">No messages yet. Write to the office here; they see it at once.</p>
      ) : (
        <ol className="channel__messages">
          {items.map((message) => (
            <li key={message.id} className={`channel__message${message.author.id === user.id ? ' channel__message--mine' : ''}`}>
              <p className="channel__meta muted small">
                {message.author.id === user.id ? 'You' : message.author.name} · {formatShort(message.createdAt)}
              </p>
              <p className="channel__body">{message.body}</p>
              {message.documentIds.length > 0 && (
                <div className="channel__photos">
                  {message.documentIds.map((id) => (
                    <DocumentThumb key={id} documentId={id} alt="Photo in the message" />
                  ))}
                </div>
              )}
            </li>
          ))}
        </ol>
      )}
      <form className="channel__form" onSubmit={(event) => void send(event)}>
        <label htmlFor={`channel-${jobId}`} className="visually-hidden">
          Message
        </label>
        <textarea id={`channel-${jobId}`} rows={2} value={text} maxLength={4000} placeholder="Write a message" onChange={(event) => setText(event.target.value)} />
        {photos.length > 0 && <p className="muted small">{photos.length === 1 ? '1 photo attached' : `${photos.length} photos attached`}</p>}
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <div className="channel__buttons">
          <label className="button tap">
            Add photo
            <input type="file" accept="image/*" capture="environment" className="visually-hidden" disabled={busy} onChange={(event) => void attach(event.currentTarget)} />
          </label>
          <button type="submit" className="button button--primary tap" disabled={busy}>
            Send
          </button>
        </div>
      </form>
    </section>
  );
}
