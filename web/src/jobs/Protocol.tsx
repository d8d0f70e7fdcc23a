// The protocol of a job: the fault and the solution, material lines from the catalogue,
// work lines, photos from the camera and the customer's signed handover. Every change is
// its own request with its own Idempotency-Key; the server answers with the whole
// protocol, including what it still needs before the field step may finish.
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { announceDocuments } from '../api/documentEvents';
import type { DocumentInfo } from '../api/types';
import type { Resource } from '../api/useResource';
import { useResource } from '../api/useResource';
import { useApi, useSession } from '../auth/session';
import { CameraInput } from '../tasks/fields/CameraInput';
import { SignaturePad } from '../tasks/fields/SignaturePad';
import { formatAssignee } from '../ui/format';
import { DocumentThumb } from './DocumentThumb';
import type { Article, AttachmentKind, Protocol } from './types';
import { ActionError, useAction } from './useAction';

export const formatCents = (cents: number): string => (cents / 100).toFixed(2);

const KIND_LABELS: Record<AttachmentKind, string> = { before: 'Before', after: 'After', photo: 'Photo', handover_signature: 'Handover signature' };
const PHOTO_KINDS: { kind: Exclude<AttachmentKind, 'handover_signature'>; label: string }[] = [
  { kind: 'before', label: 'Photo before' },
  { kind: 'after', label: 'Photo after' },
  { kind: 'photo', label: 'Other photo' },
];

/** What the field step still needs, in plain words. */
export function ProtocolMissing({ protocol }: { protocol: Protocol }) {
  if (!protocol.missing.length) return <p className="protocol__ready">The protocol is complete: the field step can finish.</p>;
  return (
    <div className="protocol__missing" data-testid="protocol-missing">
      <p className="protocol__missing-title">Before the job can finish:</p>
      <ul>
        {protocol.missing.map((gap) => (
          <li key={gap.path}>{gap.message.charAt(0).toUpperCase() + gap.message.slice(1)}</li>
        ))}
      </ul>
    </div>
  );
}

export function ProtocolEditor({ jobId, projectId, protocol, disabled }: { jobId: string; projectId: string; protocol: Resource<Protocol>; disabled?: boolean }) {
  const api = useApi();
  const { user } = useSession();
  const action = useAction();
  const base = `/jobs/${encodeURIComponent(jobId)}/protocol`;
  const data = protocol.data;
  const locked = disabled || Boolean(action.busy);

  /** Sends one change and shows the protocol the server answers with. */
  const change = async (name: string, body: unknown, send: (key: string) => Promise<Protocol>): Promise<boolean> => {
    const answer = await action.run(name, body, send);
    if (answer) protocol.set(answer);
    return Boolean(answer);
  };

  // --- fault and solution, saved explicitly
  const [fault, setFault] = useState('');
  const [solution, setSolution] = useState('');
  const [textLoaded, setTextLoaded] = useState(false);
  useEffect(() => {
    if (data && !textLoaded) {
      setFault(data.fault ?? '');
      setSolution(data.solution ?? '');
      setTextLoaded(true);
    }
  }, [data, textLoaded]);
  const textDirty = Boolean(data) && (fault !== (data?.fault ?? '') || solution !== (data?.solution ?? ''));
  const saveText = (event: FormEvent) => {
    event.preventDefault();
    const body = { fault, solution };
    void change('text', body, (key) => api.patch<Protocol>(base, body, { idempotencyKey: key }));
  };

  // --- work lines
  const [workText, setWorkText] = useState('');
  const [minutes, setMinutes] = useState('');
  const addWork = async (event: FormEvent) => {
    event.preventDefault();
    const count = Number(minutes);
    if (!workText.trim() || !Number.isInteger(count) || count < 1) {
      void action.run('work', null, () => Promise.reject(new Error('Say what was done and how many minutes it took (a whole number).')));
      return;
    }
    const body = { description: workText.trim(), minutes: count };
    if (await change('work', body, (key) => api.post<Protocol>(`${base}/work`, body, { idempotencyKey: key }))) {
      setWorkText('');
      setMinutes('');
    }
  };

  // --- photos and the handover: uploaded to the project, then attached
  // A retry after a lost answer reuses the upload and the key, so the photo is attached once.
  const uploads = useRef(new Map<string, string>());
  const attach = async (name: string, file: Blob, fileName: string, kind: AttachmentKind) => {
    const signature = `${kind}:${fileName}:${file.size}:${file instanceof File ? file.lastModified : ''}`;
    await action.run(name, signature, async (key) => {
      let documentId = uploads.current.get(signature);
      if (!documentId) {
        documentId = (await api.upload<DocumentInfo>(`/projects/${encodeURIComponent(projectId)}/documents`, file, fileName)).id;
        uploads.current.set(signature, documentId);
        announceDocuments(projectId);
      }
      const answer = await api.post<Protocol>(`${base}/attachments`, { documentId, kind }, { idempotencyKey: key });
      uploads.current.delete(signature);
      protocol.set(answer);
      return answer;
    });
  };
  const detach = (documentId: string) =>
    void change(`detach:${documentId}`, null, (key) => api.del<Protocol>(`${base}/attachments/${encodeURIComponent(documentId)}`, { idempotencyKey: key }));

  if (!data) return null;
  const photos = data.attachments.filter((attachment) => attachment.kind !== 'handover_signature');
  const handover = data.attachments.find((attachment) => attachment.kind === 'handover_signature');

  return (
    <section className="card protocol" aria-labelledby={`protocol-${jobId}`}>
      <h2 id={`protocol-${jobId}`} className="card__title">
        Protocol
      </h2>
      <ProtocolMissing protocol={data} />

      <form className="protocol__block" onSubmit={saveText} aria-label="Fault and solution">
        <div className="field">
          <label htmlFor={`fault-${jobId}`}>Fault found</label>
          <textarea id={`fault-${jobId}`} rows={2} value={fault} disabled={disabled} onChange={(event) => setFault(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`solution-${jobId}`}>Solution</label>
          <textarea id={`solution-${jobId}`} rows={2} value={solution} disabled={disabled} onChange={(event) => setSolution(event.target.value)} />
        </div>
        <ActionError action={action} name="text" />
        <div className="form-buttons">
          <button type="submit" className="button tap" disabled={locked || !textDirty}>
            Save fault and solution
          </button>
          {!textDirty && (data.fault || data.solution) && <span className="muted small">Saved</span>}
        </div>
      </form>

      <MaterialLines jobId={jobId} data={data} locked={locked} disabled={disabled} action={action} change={change} base={base} />

      <div className="protocol__block">
        <h3 className="protocol__subhead">Work</h3>
        {data.work.length > 0 && (
          <ul className="lines" aria-label="Work lines">
            {data.work.map((line) => (
              <LineRow
                key={line.id}
                main={line.description}
                name={line.description}
                detail={`${line.minutes} min · ${formatAssignee(line.technicianId, user.id)}`}
                removable={!disabled}
                locked={locked}
                onRemove={() => void change(`work:${line.id}`, null, (key) => api.del<Protocol>(`${base}/work/${encodeURIComponent(line.id)}`, { idempotencyKey: key }))}
              />
            ))}
          </ul>
        )}
        {!disabled && (
          <form className="line-form" onSubmit={(event) => void addWork(event)} aria-label="Add a work line">
            <div className="field">
              <label htmlFor={`work-${jobId}`}>What was done</label>
              <input id={`work-${jobId}`} type="text" value={workText} maxLength={2000} onChange={(event) => setWorkText(event.target.value)} />
            </div>
            <div className="field">
              <label htmlFor={`minutes-${jobId}`}>Minutes</label>
              <p id={`minutes-${jobId}-hint`} className="hint">
                {user.role === 'installer' ? 'Recorded as your work.' : "Recorded as the job installer's work."}
              </p>
              <input id={`minutes-${jobId}`} type="number" inputMode="numeric" min={1} max={1440} step={1} aria-describedby={`minutes-${jobId}-hint`} value={minutes} onChange={(event) => setMinutes(event.target.value)} />
            </div>
            <ActionError action={action} name="work" />
            <button type="submit" className="button tap" disabled={locked}>
              Add work line
            </button>
          </form>
        )}
        <ActionError action={action} name={/^work:/} />
      </div>

      <div className="protocol__block">
        <h3 className="protocol__subhead">Photos</h3>
        {photos.length > 0 ? (
          <ul className="protocol__photos" aria-label="Photos">
            {photos.map((attachment) => (
              <li key={attachment.documentId} className="protocol__photo">
                <DocumentThumb documentId={attachment.documentId} alt={`${KIND_LABELS[attachment.kind]} photo`} />
                <span className="small">{KIND_LABELS[attachment.kind]}</span>
                {!disabled && (
                  <button type="button" className="button button--quiet tap" disabled={locked} onClick={() => detach(attachment.documentId)}>
                    Remove<span className="visually-hidden"> {KIND_LABELS[attachment.kind].toLowerCase()} photo</span>
                  </button>
                )}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No photos yet.</p>
        )}
        {!disabled && (
          <div className="protocol__cameras">
            {PHOTO_KINDS.map(({ kind, label }) => (
              <CameraInput key={kind} id={`camera-${kind}-${jobId}`} label={label} disabled={locked} onFile={(file) => attach(`photo:${kind}`, file, file.name, kind)} />
            ))}
          </div>
        )}
        {action.busy?.startsWith('photo:') && (
          <p className="muted" role="status">
            Uploading the photo…
          </p>
        )}
        <ActionError action={action} name={/^(photo|detach):/} />
      </div>

      <div className="protocol__block">
        <h3 className="protocol__subhead">Handover</h3>
        {handover ? (
          <div className="signature-done">
            <DocumentThumb documentId={handover.documentId} alt="Handover signature (signed)" />
            {!disabled && (
              <button type="button" className="button tap" disabled={locked} onClick={() => detach(handover.documentId)}>
                Sign again
              </button>
            )}
          </div>
        ) : disabled ? (
          <p className="muted">Not signed.</p>
        ) : (
          <>
            <p className="hint">The customer signs here to accept the work.</p>
            <SignaturePad id={`handover-${jobId}`} label="Customer signature at handover" disabled={locked} onSigned={(png) => void attach('handover', png, 'handover-signature.png', 'handover_signature')} />
          </>
        )}
        {action.busy === 'handover' && (
          <p className="muted" role="status">
            Saving the signature…
          </p>
        )}
        <ActionError action={action} name="handover" />
      </div>
    </section>
  );
}

function MaterialLines({
  jobId,
  data,
  locked,
  disabled,
  action,
  change,
  base,
}: {
  jobId: string;
  data: Protocol;
  locked: boolean;
  disabled?: boolean;
  action: ReturnType<typeof useAction>;
  change: (name: string, body: unknown, send: (key: string) => Promise<Protocol>) => Promise<boolean>;
  base: string;
}) {
  const api = useApi();
  return (
    <div className="protocol__block">
      <h3 className="protocol__subhead">Material</h3>
      {data.materials.length > 0 && (
        <ul className="lines" aria-label="Material lines">
          {data.materials.map((line) => (
            <LineRow
              key={line.id}
              main={`${line.quantity} ${line.unit} · ${line.name}`}
              name={line.name}
              detail={`${line.articleNumber} · ${formatCents(line.unitPriceCents)} per ${line.unit}`}
              removable={!disabled}
              locked={locked}
              onRemove={() => void change(`material:${line.id}`, null, (key) => api.del<Protocol>(`${base}/materials/${encodeURIComponent(line.id)}`, { idempotencyKey: key }))}
            />
          ))}
        </ul>
      )}
      {!disabled && (
        <ArticlePicker
          idPrefix={`material-${jobId}`}
          busy={locked}
          submitLabel="Add material"
          onPick={async (articleId, quantity) => {
            const body = { articleId, quantity };
            return change('material', body, (key) => api.post<Protocol>(`${base}/materials`, body, { idempotencyKey: key }));
          }}
        />
      )}
      <ActionError action={action} name={/^material/} />
    </div>
  );
}

/** The active catalogue, loaded once per page. */
export function useArticles(): Resource<{ items: Article[] }> {
  const api = useApi();
  return useResource((signal) => api.get<{ items: Article[] }>('/articles', { signal }), []);
}

/** Search the catalogue, pick an article, give the quantity in its unit. */
export function ArticlePicker({ idPrefix, busy, submitLabel, onPick }: { idPrefix: string; busy: boolean; submitLabel: string; onPick: (articleId: string, quantity: number) => Promise<boolean> }) {
  const articles = useArticles();
  const [search, setSearch] = useState('');
  const [articleId, setArticleId] = useState('');
  const [quantity, setQuantity] = useState('1');
  const [problem, setProblem] = useState<string>();
  const all = articles.data?.items ?? [];
  const matches = useMemo(() => {
    const words = search.toLowerCase().split(/\s+/).filter(Boolean);
    return all.filter((article) => words.every((word) => `${article.number} ${article.name}`.toLowerCase().includes(word)));
  }, [all, search]);
  const chosen = all.find((article) => article.id === articleId);

  // A group, not a form: the picker also sits inside the confirmation's form.
  const submit = async () => {
    const count = Number(quantity.replace(',', '.'));
    if (!chosen) return setProblem('Pick an article first.');
    if (!Number.isFinite(count) || count <= 0) return setProblem(`Give the quantity in ${chosen.unit}, more than 0.`);
    setProblem(undefined);
    if (await onPick(chosen.id, Math.round(count * 1000) / 1000)) {
      setArticleId('');
      setQuantity('1');
      setSearch('');
    }
  };

  return (
    <div
      className="line-form"
      role="group"
      aria-label={submitLabel}
      onKeyDown={(event) => {
        if (event.key === 'Enter' && (event.target as HTMLElement).id === `${idPrefix}-quantity`) {
          event.preventDefault();
          void submit();
        }
      }}
    >
      <div className="field">
        <label htmlFor={`${idPrefix}-search`}>Search articles</label>
        <input id={`${idPrefix}-search`} type="text" enterKeyHint="search" autoComplete="off" value={search} placeholder="Name or number" onChange={(event) => setSearch(event.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-article`}>Article</label>
        <select id={`${idPrefix}-article`} value={articleId} onChange={(event) => setArticleId(event.target.value)}>
          <option value="">{articles.data ? `Choose (${matches.length} found)` : 'Loading the catalogue…'}</option>
          {matches.map((article) => (
            <option key={article.id} value={article.id}>
              {article.name} ({article.number})
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-quantity`}>Quantity{chosen ? ` (${chosen.unit})` : ''}</label>
        {chosen && (
          <p id={`${idPrefix}-price`} className="hint">
            {formatCents(chosen.priceCents)} per {chosen.unit}
          </p>
        )}
        <div className="with-unit">
          <input
            id={`${idPrefix}-quantity`}
            type="number"
            inputMode="decimal"
            min={0}
            step="any"
            value={quantity}
            aria-describedby={chosen ? `${idPrefix}-price` : undefined}
            onChange={(event) => setQuantity(event.target.value)}
          />
          {chosen && <span className="with-unit__unit">{chosen.unit}</span>}
        </div>
      </div>
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      <button type="button" className="button tap" disabled={busy} onClick={() => void submit()}>
        {submitLabel}
      </button>
    </div>
  );
}

/** The protocol for reading (the office's job panel). */
export function ProtocolSummary({ protocol, meId }: { protocol: Protocol; meId: string }) {
  const photos = protocol.attachments.filter((attachment) => attachment.kind !== 'handover_signature');
  const handover = protocol.attachments.find((attachment) => attachment.kind === 'handover_signature');
  return (
    <div className="protocol-summary" data-testid="protocol-summary">
      <dl className="job-card__facts">
        <dt>Fault</dt>
        <dd>{protocol.fault || '—'}</dd>
        <dt>Solution</dt>
        <dd>{protocol.solution || '—'}</dd>
      </dl>
      <ul className="lines" aria-label="Protocol lines">
        {protocol.materials.map((line) => (
          <li key={line.id} className="line">
            {line.quantity} {line.unit} · {line.name} <span className="muted small">· {formatCents(line.unitPriceCents)} per {line.unit}</span>
          </li>
        ))}
        {protocol.work.map((line) => (
          <li key={line.id} className="line">
            {line.description} <span className="muted small">· {line.minutes} min · {formatAssignee(line.technicianId, meId)}</span>
          </li>
        ))}
        {protocol.materials.length + protocol.work.length === 0 && <li className="muted">No lines yet.</li>}
      </ul>
      {photos.length > 0 && (
        <div className="channel__photos">
          {photos.map((attachment) => (
            <DocumentThumb key={attachment.documentId} documentId={attachment.documentId} alt={`${KIND_LABELS[attachment.kind]} photo`} />
          ))}
        </div>
      )}
      <p className="small">{handover ? 'Handover signed:' : 'Handover not signed yet.'}</p>
      {handover && <DocumentThumb documentId={handover.documentId} alt="Handover signature (signed)" />}
      {protocol.missing.length > 0 && <ProtocolMissing protocol={protocol} />}
    </div>
  );
}

/** One protocol line with its details, and a remove button while the protocol may change. */
function LineRow({ main, name, detail, removable, locked, onRemove }: { main: string; name: string; detail: string; removable: boolean; locked: boolean; onRemove: () => void }) {
  return (
    <li className="line">
      <span className="line__main">
        {main}
        <span className="muted small"> · {detail}</span>
      </span>
      {removable && (
        <button type="button" className="button button--quiet tap" disabled={locked} onClick={onRemove}>
          Remove<span className="visually-hidden"> {name}</span>
        </button>
      )}
    </li>
  );
}
