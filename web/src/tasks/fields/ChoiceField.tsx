// Enums: a few options as radio buttons, more as a select. Booleans: Yes/No when the
// answer is required (so nobody agrees by leaving a box unticked), a checkbox otherwise.
import { humanize } from '../../ui/format';
import { fieldId } from '../errors';
import { choicesOf, unwrap } from '../schema';
import { describedBy, FieldFrame, labelOf, type FieldProps } from './Field';

const RADIO_LIMIT = 4;

export function ChoiceField({ name, path, schema, required, value, onChange, ctx }: FieldProps) {
  const s = unwrap(schema);
  const id = fieldId(ctx.formId, path);
  const errors = ctx.errors.at(path);
  const options = (choicesOf(s) ?? []).map(String);
  const current = typeof value === 'string' ? value : '';
  const label = labelOf(name, s);

  if (options.length <= RADIO_LIMIT) {
    return (
      <FieldFrame id={id} label={label} required={required} hint={s.description} errors={errors} group>
        <div className="choices" role="presentation">
          {options.map((option, index) => (
            <label key={option} className="choice" htmlFor={`${id}-${index}`}>
              <input
                id={`${id}-${index}`}
                type="radio"
                name={id}
                value={option}
                checked={current === option}
                onChange={() => onChange(option)}
                disabled={ctx.disabled}
                aria-invalid={errors.length > 0 || undefined}
              />
              <span>{humanize(option)}</span>
            </label>
          ))}
        </div>
      </FieldFrame>
    );
  }
  return (
    <FieldFrame id={id} label={label} required={required} hint={s.description} errors={errors}>
      <select
        id={id}
        value={current}
        onChange={(event) => onChange(event.target.value)}
        disabled={ctx.disabled}
        aria-required={required || undefined}
        aria-invalid={errors.length > 0 || undefined}
        aria-describedby={describedBy(id, Boolean(s.description), errors.length > 0)}
      >
        <option value="">Choose…</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {humanize(option)}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

export function BooleanField({ name, path, schema, required, value, onChange, ctx }: FieldProps) {
  const s = unwrap(schema);
  const id = fieldId(ctx.formId, path);
  const errors = ctx.errors.at(path);
  const label = labelOf(name, s);
  if (required) {
    return (
      <FieldFrame id={id} label={s.description ?? label} required hint={undefined} errors={errors} group>
        <div className="choices">
          {[true, false].map((option) => (
            <label key={String(option)} className="choice" htmlFor={`${id}-${option}`}>
              <input
                id={`${id}-${option}`}
                type="radio"
                name={id}
                checked={value === option}
                onChange={() => onChange(option)}
                disabled={ctx.disabled}
                aria-invalid={errors.length > 0 || undefined}
              />
              <span>{option ? 'Yes' : 'No'}</span>
            </label>
          ))}
        </div>
      </FieldFrame>
    );
  }
  return (
    <div className={`field field--check${errors.length ? ' field--invalid' : ''}`}>
      <label className="choice" htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          checked={value === true}
          onChange={(event) => onChange(event.target.checked)}
          disabled={ctx.disabled}
          aria-describedby={describedBy(id, Boolean(s.description), errors.length > 0)}
        />
        <span>{label}</span>
      </label>
      {s.description && (
        <p id={`${id}-hint`} className="hint">
          {s.description}
        </p>
      )}
      {errors.length > 0 && (
        <p id={`${id}-error`} className="field-error">
          {errors.join('. ')}
        </p>
      )}
    </div>
  );
}
