// The template editor: add, remove and reorder items; type, unit, range, options,
// required. Saving sends the whole list as the next version, from the version it started
// with (another admin's save in between is 409).
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import type { ChecklistItem, ChecklistItemType, ChecklistTemplate, Problem } from '../api/types';
import { useApi } from '../auth/session';
import { plainMessage } from '../tasks/errors';

export const TYPE_LABELS: Record<ChecklistItemType, string> = {
  pass_fail_na: 'Pass / fail / n.a. (comment on fail)',
  number: 'Number with unit and range',
  text: 'Text',
  choice: 'Choice',
  photo: 'Photo',
  signature: 'Signature',
};

/** An item as the editor holds it: numbers and options as typed. */
interface Draft {
  key: number;
  id: string;
  label: string;
  type: ChecklistItemType;
  required: boolean;
  help: string;
  unit: string;
  min: string;
  max: string;
  options: string;
}

let nextKey = 1;
const toDraft = (item: ChecklistItem): Draft => ({
  key: nextKey++,
  id: item.id,
  label: item.label,
  type: item.type,
  required: item.required,
  help: item.help ?? '',
  unit: item.unit ?? '',
  min: item.min === undefined ? '' : String(item.min),
  max: item.max === undefined ? '' : String(item.max),
  options: (item.options ?? []).join('\n'),
});

const numberOrText = (text: string): number | string | undefined => (text.trim() === '' ? undefined : Number.isNaN(Number(text)) ? text : Number(text));

function fromDraft(draft: Draft): Record<string, unknown> {
  const item: Record<string, unknown> = { id: draft.id.trim(), label: draft.label, type: draft.type, required: draft.required };
  if (draft.help.trim()) item.help = draft.help;
  if (draft.type === 'number') {
    if (draft.unit.trim()) item.unit = draft.unit;
    if (numberOrText(draft.min) !== undefined) item.min = numberOrText(draft.min);
    if (numberOrText(draft.max) !== undefined) item.max = numberOrText(draft.max);
  }
  if (draft.type === 'choice') item.options = draft.options.split('\n').map((option) => option.trim()).filter(Boolean);
  return item;
}

/** "DC isolator condition" → "dc_isolator_condition". */
const idFrom = (label: string) =>
  label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+|_+$/g, '')
    .slice(0, 64);

export function TemplateEditor({ template, onSaved }: { template: ChecklistTemplate; onSaved: (saved: ChecklistTemplate, created: boolean) => void }) {
  const api = useApi();
  const [title, setTitle] = useState(template.title);
  const [drafts, setDrafts] = useState<Draft[]>(() => template.items.map(toDraft));
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const [touchedIds, setTouchedIds] = useState(() => new Set(template.items.map((item) => item.id)));
  useEffect(() => setProblem(undefined), [drafts, title]);

  const errorAt = (path: string) =>
    problem?.errors
      ?.filter((error) => error.path === path)
      .map((error) => plainMessage(error.message))
      .join('. ') || undefined;
  const update = (key: number, change: Partial<Draft>) =>
    setDrafts((all) =>
      all.map((draft) => {
        if (draft.key !== key) return draft;
        const next = { ...draft, ...change };
        // A new item's id follows its label until someone types an id.
        if (change.label !== undefined && !touchedIds.has(draft.id)) next.id = idFrom(change.label);
        return next;
      }),
    );
  const move = (index: number, by: number) =>
    setDrafts((all) => {
      const next = [...all];
      const [item] = next.splice(index, 1);
      next.splice(index + by, 0, item);
      return next;
    });

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    try {
      const response = await fetchSave();
      onSaved(response.saved, response.created);
    } catch (err) {
      setProblem(err instanceof ApiError ? err.problem : { type: 'about:blank', title: 'Something went wrong', status: 0, detail: String(err) });
    } finally {
      setBusy(false);
    }
  }

  async function fetchSave() {
    const before = template.version;
    const saved = await api.put<ChecklistTemplate>(`/checklist-templates/${encodeURIComponent(template.taskType)}`, { title, items: drafts.map(fromDraft), baseVersion: before });
    return { saved, created: saved.version !== before };
  }

  return (
    <form className="stack" onSubmit={save} noValidate>
      {problem && (
        <div className="error-summary" role="alert">
          <p className="error-summary__title">{problem.errors?.length ? 'Please fix these to save' : problem.title}</p>
          {problem.detail && <p>{problem.detail}</p>}
          {problem.errors && (
            <ul>
              {problem.errors.map((error, index) => (
                <li key={index}>
                  {labelOfItemPath(error.path, drafts)}: {plainMessage(error.message)}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="field">
        <label htmlFor="template-title">Title</label>
        <input id="template-title" type="text" value={title} maxLength={200} onChange={(event) => setTitle(event.target.value)} />
      </div>
      <ol className="stack">
        {drafts.map((draft, index) => {
          const at = (field: string) => errorAt(`items.${index}.${field}`);
          const prefix = `item-${draft.key}`;
          return (
            <li key={draft.key} className="template-item" aria-label={`Item ${index + 1}: ${draft.label || 'new item'}`}>
              <div className="template-item__row">
                <div className={`field${at('label') ? ' field--invalid' : ''}`}>
                  <label htmlFor={`${prefix}-label`}>Question</label>
                  <input id={`${prefix}-label`} type="text" value={draft.label} maxLength={200} onChange={(event) => update(draft.key, { label: event.target.value })} />
                  {at('label') && <p className="field-error">{at('label')}</p>}
                </div>
                <div className={`field${at('id') ? ' field--invalid' : ''}`}>
                  <label htmlFor={`${prefix}-id`}>Answer key</label>
                  <input
                    id={`${prefix}-id`}
                    type="text"
                    value={draft.id}
                    maxLength={64}
                    onChange={(event) => {
                      setTouchedIds((ids) => new Set(ids).add(event.target.value));
                      update(draft.key, { id: event.target.value });
                    }}
                  />
                  {at('id') && <p className="field-error">{at('id')}</p>}
                </div>
              </div>
              <div className="template-item__row">
                <div className="field">
                  <label htmlFor={`${prefix}-type`}>Answer type</label>
                  <select id={`${prefix}-type`} value={draft.type} onChange={(event) => update(draft.key, { type: event.target.value as ChecklistItemType })}>
                    {Object.entries(TYPE_LABELS).map(([type, label]) => (
                      <option key={type} value={type}>
                        {label}
                      </option>
                    ))}
                  </select>
                </div>
                <label className="choice" htmlFor={`${prefix}-required`}>
                  <input id={`${prefix}-required`} type="checkbox" checked={draft.required} onChange={(event) => update(draft.key, { required: event.target.checked })} />
                  <span>Required</span>
                </label>
              </div>
              {draft.type === 'number' && (
                <div className="template-item__row">
                  {(['unit', 'min', 'max'] as const).map((field) => (
                    <div key={field} className={`field${at(field) ? ' field--invalid' : ''}`}>
                      <label htmlFor={`${prefix}-${field}`}>{field === 'unit' ? 'Unit (e.g. V, MΩ)' : field === 'min' ? 'Lowest allowed' : 'Highest allowed'}</label>
                      <input
                        id={`${prefix}-${field}`}
                        type="text"
                        inputMode={field === 'unit' ? 'text' : 'decimal'}
                        value={draft[field]}
                        onChange={(event) => update(draft.key, { [field]: event.target.value })}
                      />
                      {at(field) && <p className="field-error">{at(field)}</p>}
                    </div>
                  ))}
                </div>
              )}
              {draft.type === 'choice' && (
                <div className={`field${at('options') ? ' field--invalid' : ''}`}>
                  <label htmlFor={`${prefix}-options`}>Options, one per line</label>
                  <textarea id={`${prefix}-options`} rows={4} value={draft.options} onChange={(event) => update(draft.key, { options: event.target.value })} />
                  {at('options') && <p className="field-error">{at('options')}</p>}
                </div>
              )}
              <div className="field">
                <label htmlFor={`${prefix}-help`}>
                  Hint <span className="optional">(optional)</span>
                </label>
                <input id={`${prefix}-help`} type="text" value={draft.help} maxLength={500} onChange={(event) => update(draft.key, { help: event.target.value })} />
              </div>
              <div className="template-item__actions">
                <button type="button" className="button" disabled={index === 0} onClick={() => move(index, -1)} aria-label={`Move ${draft.label || 'item'} up`}>
                  Up
                </button>
                <button type="button" className="button" disabled={index === drafts.length - 1} onClick={() => move(index, 1)} aria-label={`Move ${draft.label || 'item'} down`}>
                  Down
                </button>
                <button type="button" className="button" onClick={() => setDrafts((all) => all.filter((other) => other.key !== draft.key))} aria-label={`Remove ${draft.label || 'item'}`}>
                  Remove
                </button>
              </div>
            </li>
          );
        })}
      </ol>
      <div className="task-form__actions">
        <button
          type="button"
          className="button"
          onClick={() => setDrafts((all) => [...all, { key: nextKey++, id: '', label: '', type: 'pass_fail_na', required: true, help: '', unit: '', min: '', max: '', options: '' }])}
        >
          Add item
        </button>
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Saving…' : `Save as version ${template.version + 1}`}
        </button>
      </div>
    </form>
  );
}

function labelOfItemPath(path: string, drafts: Draft[]): string {
  const match = /^items\.(\d+)(?:\.(\w+))?/.exec(path);
  if (!match) return path || 'Template';
  const draft = drafts[Number(match[1])];
  return `Item ${Number(match[1]) + 1}${draft?.label ? ` (${draft.label})` : ''}${match[2] ? ` › ${match[2]}` : ''}`;
}
