// A case's thread: the customer's contacts and the office write to each other about the
// case, with a document of the case attached when it helps. New messages arrive live (the
// page's stream for the project, or its own). Works for staff and for the case's customer
// alike: it calls only routes both may use (the thread, the project's documents, the stream).
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, newIdempotencyKey } from '../api/client';
import { useDocumentsChanged } from '../api/documentEvents';
import type { DocumentInfo, Page } from '../api/types';
import { useResource } from '../api/useResource';
import { useApi, useSession } from '../auth/session';
import { LiveIndicator } from '../live/LiveIndicator';
import { useProjectChanges } from '../live/ProjectChanges';
import { ErrorNotice, SkeletonRows } from '../ui/EmptyState';
import { formatShort } from '../ui/format';
import { plainMessage } from '../tasks/errors';
import './messages.css';

export interface CaseMessage {
  id: string;
  projectId: string;
  author: { id: string; name: string; role: string };
  body: string;
  documentIds: string[];
  createdAt: string;
}

const MAX_LENGTH = 4000;
/** Enough for any thread people read on one page; older ones than this are rare. */
const MAX_PAGES = 10;

const STAFF = new Set(['admin', 'supervisor', 'ops']);

export function CaseThread({ projectId }: { projectId: string }) {
  const api = useApi();
  const { user } = useSession();
  const staff = STAFF.has(user.role);
  const base = `/projects/${encodeURIComponent(projectId)}`;

  const thread = useResource(
    async (signal) => {
      // Oldest first, every page: the newest message is the one people came for.
      const items: CaseMessage[] = [];
      let cursor: string | null | undefined;
      for (let pages = 0; pages < MAX_PAGES; pages++) {
        const page = await api.get<Page<CaseMessage>>(`${base}/messages`, { query: { limit: 200, cursor: cursor ?? undefined }, signal });
        items.push(...page.items);
        cursor = page.nextCursor;
        if (!cursor) break;
      }
      return items;
    },
    [projectId],
  );
  const documents = useResource((signal) => api.get<Page<DocumentInfo>>(`${base}/documents`, { signal }), [projectId]);
  useDocumentsChanged(projectId, () => void documents.reload());
  const live = useProjectChanges(projectId, (notices) => {
    // A resync (no notices) may have missed a message too.
    if (!notices.length || notices.some((notice) => notice.caseMessageId)) void thread.reload();
  });

  const [text, setText] = useState('');
  const [attachment, setAttachment] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<{ body?: string; documentIds?: string; form?: string }>({});
  // One key per message being written, so a retry after a lost answer posts it once.
  // One key per message content: sending the same text again (its answer lost) is the same
  // message; an edited text is a new one (the same key with another body would be a 422).
  const key = useRef<{ body: string; key: string } | undefined>(undefined);
  const list = useRef<HTMLOListElement>(null);
  const items = thread.data ?? [];

  // Keep the newest message in view as the thread grows.
  useEffect(() => {
    const element = list.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [items.length]);

  const send = async (event: FormEvent) => {
    event.preventDefault();
    const found: typeof errors = {};
    if (!text.trim()) found.body = 'Write a message first.';
    else if (text.length > MAX_LENGTH) found.body = `A message has at most ${MAX_LENGTH} characters; this one has ${text.length}.`;
    setErrors(found);
    if (found.body) {
      document.getElementById(`case-thread-${projectId}-body`)?.focus();
      return;
    }
    setBusy(true);
    const body = { body: text, ...(attachment ? { documentIds: [attachment] } : {}) };
    const sent = JSON.stringify(body);
    if (key.current?.body !== sent) key.current = { body: sent, key: newIdempotencyKey() };
    try {
      await api.post(`${base}/messages`, body, { idempotencyKey: key.current.key });
      key.current = undefined;
      setText('');
      setAttachment('');
      await thread.reload();
    } catch (err) {
      if (err instanceof ApiError && err.fieldErrors.length) {
        const byField: typeof errors = {};
        for (const error of err.fieldErrors) {
          const field = error.path === 'body' || error.path === 'documentIds' ? error.path : 'form';
          byField[field] ??= plainMessage(error.message);
        }
        setErrors(byField);
      } else {
        setErrors({ form: err instanceof ApiError ? err.message : 'The message could not be sent. Check the connection and send it again.' });
      }
    } finally {
      setBusy(false);
    }
  };

  const documentNames = new Map((documents.data?.items ?? []).map((doc) => [doc.id, doc.name]));
  const bodyId = `case-thread-${projectId}-body`;
  const attachId = `case-thread-${projectId}-attach`;
  const other = staff ? 'the customer' : 'the office';

  return (
    <section className="card case-thread" aria-labelledby={`case-thread-${projectId}-heading`}>
      <div className="case-thread__head">
        <h2 id={`case-thread-${projectId}-heading`} className="card__title">
          Messages with {other} <span className="count">{items.length}</span>
        </h2>
        <LiveIndicator status={live} />
      </div>
      {thread.error && !thread.data ? (
        <ErrorNotice error={thread.error} onRetry={() => void thread.reload()} />
      ) : !thread.data ? (
        <SkeletonRows rows={2} label="Loading the messages" />
      ) : items.length === 0 ? (
        <p className="muted">No messages yet. Write to {other} here; they get a notification and a mail.</p>
      ) : (
        <ol className="channel__messages case-thread__messages" ref={list} tabIndex={0} aria-label="Messages, oldest first">
          {items.map((message) => {
            const mine = message.author.id === user.id;
            return (
              <li key={message.id} className={`channel__message${mine ? ' channel__message--mine' : ''}`} data-testid="case-message">
                <p className="channel__meta muted small">
                  {mine ? 'You' : message.author.name}
                  {!mine && <> ({authorRole(message.author.role)})</>} · <time dateTime={message.createdAt}>{formatShort(message.createdAt)}</time>
                </p>
                <p className="channel__body">{message.body}</p>
                {message.documentIds.length > 0 && (
                  <p className="case-thread__attachments">
                    {message.documentIds.map((id) => (
                      <Attachment key={id} documentId={id} name={documentNames.get(id)} />
                    ))}
                  </p>
                )}
              </li>
            );
          })}
        </ol>
      )}
      <form className="channel__form" onSubmit={(event) => void send(event)} noValidate>
        <div className={`field${errors.body ? ' field--invalid' : ''}`}>
          <label htmlFor={bodyId}>Message to {other}</label>
          <textarea
            id={bodyId}
            rows={3}
            value={text}
            aria-invalid={errors.body ? true : undefined}
            aria-describedby={errors.body ? `${bodyId}-error` : undefined}
            onChange={(event) => setText(event.target.value)}
          />
          {errors.body && (
            <p id={`${bodyId}-error`} className="field-error">
              <span aria-hidden="true">! </span>
              {errors.body}
            </p>
          )}
        </div>
        {(documents.data?.items.length ?? 0) > 0 && (
          <div className={`field${errors.documentIds ? ' field--invalid' : ''}`}>
            <label htmlFor={attachId}>
              Attach a document of this case<span className="optional"> (optional)</span>
            </label>
            <select
              id={attachId}
              className="tap"
              value={attachment}
              aria-invalid={errors.documentIds ? true : undefined}
              aria-describedby={errors.documentIds ? `${attachId}-error` : undefined}
              onChange={(event) => setAttachment(event.target.value)}
            >
              <option value="">No attachment</option>
              {documents.data!.items.map((doc) => (
                <option key={doc.id} value={doc.id}>
                  {doc.name}
                </option>
              ))}
            </select>
            {errors.documentIds && (
              <p id={`${attachId}-error`} className="field-error">
                <span aria-hidden="true">! </span>
                {errors.documentIds}
              </p>
            )}
          </div>
        )}
        {errors.form && (
          <p className="field-error" role="alert">
            {errors.form}
          </p>
        )}
        <div className="channel__buttons">
          <span className="muted small">{staff ? 'The customer’s contacts get a notification and a mail.' : 'The office gets a notification and a mail.'}</span>
          <button type="submit" className="button button--primary tap" disabled={busy}>
            {busy ? 'Sending…' : 'Send message'}
          </button>
        </div>
      </form>
    </section>
  );
}

const authorRole = (role: string) => (role === 'customer' ? 'customer' : 'office');

/** A document attached to a message: fetched with the token and saved under its name. */
function Attachment({ documentId, name }: { documentId: string; name?: string }) {
  const api = useApi();
  const [failed, setFailed] = useState(false);
  async function download() {
    try {
      const blob = await api.blob(`/documents/${encodeURIComponent(documentId)}`);
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = name ?? documentId;
      document.body.append(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 1000);
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }
  return (
    <>
      <button type="button" className="button button--small tap" onClick={() => void download()}>
        <span aria-hidden="true">📎</span> {name ?? 'Attached document'}
      </button>
      {failed && <span className="field-error"> The document could not be downloaded; try again.</span>}
    </>
  );
}
