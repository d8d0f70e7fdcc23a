// A checklist from its template version (the task's schema): one control per item, as
// its `x-itemType` says. Pass/fail/n.a. are three buttons and a comment box that opens
// on fail; numbers show their unit and range; photos come from the phone's camera and
// signatures from a finger on a canvas, both uploaded to the project at once.
import { useRef, useState } from 'react';
import { ApiError } from '../../api/client';
import { announceDocuments } from '../../api/documentEvents';
import type { DocumentInfo, JsonSchema } from '../../api/types';
import { useApi } from '../../auth/session';
import { fieldId } from '../errors';
import type { FormValues, PassFailValue } from '../schema';
import { DocumentThumb } from './DocumentThumb';
import { describedBy, FieldFrame, type FieldProps, type FormContext } from './Field';
import { SignaturePad } from './SignaturePad';
import { CameraInput } from './CameraInput';

export const PASS_FAIL_LABELS = { pass: 'Pass', fail: 'Fail', na: 'N/A' } as const;

interface ItemProps {
  id: string;
  path: string;
  item: JsonSchema;
  required: boolean;
  value: unknown;
  onChange: (value: unknown) => void;
  ctx: FormContext;
  errors: string[];
}

/** The server says "DC isolator condition: required"; next to the item its label is already there. */
const withoutLabel = (label: string, messages: string[]) => messages.map((message) => (message.startsWith(`${label}: `) ? message.slice(label.length + 2) : message)).map((message) => message.charAt(0).toUpperCase() + message.slice(1));

export function ChecklistField({ path, schema, value, onChange, ctx }: FieldProps) {
  const values = (value as FormValues | undefined) ?? {};
  const required = new Set(schema.required ?? []);
  const items = Object.entries(schema.properties ?? {});
  const answered = items.filter(([id]) => answeredItem(values[id])).length;
  return (
    <div className="checklist" id={fieldId(ctx.formId, path)} tabIndex={-1}>
      <p className="checklist__progress muted" aria-live="polite">
        {answered} of {items.length} answered{schema['x-templateVersion'] ? ` · template version ${schema['x-templateVersion']}` : ''}
      </p>
      {items.map(([itemId, item]) => {
        const itemPath = `${path}.${itemId}`;
        const props: ItemProps = {
          id: fieldId(ctx.formId, itemPath),
          path: itemPath,
          item,
          required: required.has(itemId),
          value: values[itemId],
          onChange: (next) => onChange({ ...values, [itemId]: next }),
          ctx,
          errors: withoutLabel(item.title ?? itemId, ctx.errors.at(itemPath)),
        };
        return <ChecklistItem key={itemId} {...props} />;
      })}
    </div>
  );
}

function answeredItem(value: unknown): boolean {
  if (value && typeof value === 'object') return Boolean((value as PassFailValue).result);
  return typeof value === 'string' ? value.trim() !== '' : value !== undefined;
}

function ChecklistItem(props: ItemProps) {
  switch (props.item['x-itemType']) {
    case 'pass_fail_na':
      return <PassFailItem {...props} />;
    case 'number':
      return <NumberItem {...props} />;
    case 'choice':
      return <ChoiceItem {...props} />;
    case 'photo':
      return <PhotoItem {...props} />;
    case 'signature':
      return <SignatureItem {...props} />;
    default:
      return <TextItem {...props} />;
  }
}

function PassFailItem({ id, item, required, value, onChange, ctx, errors }: ItemProps) {
  const current = (value as PassFailValue | undefined) ?? {};
  const failed = current.result === 'fail';
  return (
    <FieldFrame id={id} label={item.title ?? ''} required={required} hint={item.description} errors={errors} group>
      <div className="segmented">
        {(Object.keys(PASS_FAIL_LABELS) as (keyof typeof PASS_FAIL_LABELS)[]).map((result) => (
          <button
            key={result}
            type="button"
            className={`segmented__option segmented__option--${result}`}
            aria-pressed={current.result === result}
            disabled={ctx.disabled}
            onClick={() => onChange({ ...current, result })}
          >
            {PASS_FAIL_LABELS[result]}
          </button>
        ))}
      </div>
      {failed && (
        <div className="checklist__comment">
          <label htmlFor={`${id}-comment`}>What is wrong? (required on fail)</label>
          <textarea
            id={`${id}-comment`}
            rows={3}
            maxLength={2000}
            value={current.comment ?? ''}
            disabled={ctx.disabled}
            aria-invalid={errors.length > 0 || undefined}
            onChange={(event) => onChange({ ...current, comment: event.target.value })}
          />
        </div>
      )}
    </FieldFrame>
  );
}

function NumberItem({ id, item, required, value, onChange, ctx, errors }: ItemProps) {
  const unit = item['x-unit'];
  const range = item.minimum !== undefined && item.maximum !== undefined ? `${item.minimum} to ${item.maximum}${unit ? ` ${unit}` : ''}` : undefined;
  const hint = [item.description, range && `Allowed: ${range}.`].filter(Boolean).join(' ') || undefined;
  return (
    <FieldFrame id={id} label={`${item.title ?? ''}${unit ? ` (${unit})` : ''}`} required={required} hint={hint} errors={errors}>
      <div className="with-unit">
        <input
          id={id}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          value={typeof value === 'string' ? value : value === undefined ? '' : String(value)}
          disabled={ctx.disabled}
          aria-required={required || undefined}
          aria-invalid={errors.length > 0 || undefined}
          aria-describedby={describedBy(id, Boolean(hint), errors.length > 0)}
          onChange={(event) => onChange(event.target.value)}
        />
        {unit && (
          <span className="with-unit__unit" aria-hidden="true">
            {unit}
          </span>
        )}
      </div>
    </FieldFrame>
  );
}

function TextItem({ id, item, required, value, onChange, ctx, errors }: ItemProps) {
  return (
    <FieldFrame id={id} label={item.title ?? ''} required={required} hint={item.description} errors={errors}>
      <input
        id={id}
        type="text"
        maxLength={2000}
        value={typeof value === 'string' ? value : ''}
        disabled={ctx.disabled}
        aria-required={required || undefined}
        aria-invalid={errors.length > 0 || undefined}
        aria-describedby={describedBy(id, Boolean(item.description), errors.length > 0)}
        onChange={(event) => onChange(event.target.value)}
      />
    </FieldFrame>
  );
}

function ChoiceItem({ id, item, required, value, onChange, ctx, errors }: ItemProps) {
  const options = (item.enum ?? []).map(String);
  return (
    <FieldFrame id={id} label={item.title ?? ''} required={required} hint={item.description} errors={errors} group>
      <div className="choices">
        {options.map((option, index) => (
          <label key={option} className="choice" htmlFor={`${id}-${index}`}>
            <input id={`${id}-${index}`} type="radio" name={id} value={option} checked={value === option} disabled={ctx.disabled} onChange={() => onChange(option)} />
            <span>{option}</span>
          </label>
        ))}
      </div>
    </FieldFrame>
  );
}

/** Uploads to the project; the answer is the new document's id. */
function useUpload(projectId: string, onUploaded: (id: string) => void) {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const latest = useRef(onUploaded);
  latest.current = onUploaded;
  async function upload(file: Blob, name: string) {
    setBusy(true);
    setError(undefined);
    try {
      const stored = await api.upload<DocumentInfo>(`/projects/${encodeURIComponent(projectId)}/documents`, file, name);
      latest.current(stored.id);
      announceDocuments(projectId);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }
  return { upload, busy, error };
}

function PhotoItem({ id, item, required, value, onChange, ctx, errors }: ItemProps) {
  const { upload, busy, error } = useUpload(ctx.projectId, onChange);
  const docId = typeof value === 'string' && value ? value : undefined;
  return (
    <FieldFrame id={id} label={item.title ?? ''} required={required} hint={item.description} errors={errors} group>
      {docId && <DocumentThumb documentId={docId} alt={item.title ?? 'Photo'} />}
      <CameraInput id={`${id}-file`} label={docId ? 'Retake photo' : 'Take photo'} disabled={ctx.disabled || busy} onFile={(file) => upload(file, file.name)} />
      {busy && (
        <span className="muted" role="status">
          Uploading…
        </span>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </FieldFrame>
  );
}

function SignatureItem({ id, item, required, value, onChange, ctx, errors }: ItemProps) {
  const { upload, busy, error } = useUpload(ctx.projectId, onChange);
  const docId = typeof value === 'string' && value ? value : undefined;
  return (
    <FieldFrame id={id} label={item.title ?? ''} required={required} hint={item.description} errors={errors} group>
      {docId ? (
        <div className="signature-done">
          <DocumentThumb documentId={docId} alt={`${item.title ?? 'Signature'} (signed)`} />
          <button type="button" className="button" disabled={ctx.disabled} onClick={() => onChange(undefined)}>
            Sign again
          </button>
        </div>
      ) : (
        <SignaturePad id={`${id}-pad`} label={item.title ?? 'Signature'} disabled={ctx.disabled || busy} onSigned={(png) => void upload(png, 'signature.png')} />
      )}
      {busy && (
        <span className="muted" role="status">
          Saving the signature…
        </span>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </FieldFrame>
  );
}
