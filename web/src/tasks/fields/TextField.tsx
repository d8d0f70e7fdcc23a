// Text, long text, numbers, date-times and comma-separated lists.
import { effectiveTimeZone } from '../../ui/format';
import { fieldId } from '../errors';
import { unwrap, type FieldKind } from '../schema';
import { describedBy, FieldFrame, labelOf, type FieldProps } from './Field';

export function TextField({ name, path, schema, required, value, onChange, ctx, kind }: FieldProps & { kind: FieldKind }) {
  const s = unwrap(schema);
  const id = fieldId(ctx.formId, path);
  const errors = ctx.errors.at(path);
  const hint =
    kind === 'list'
      ? [s.description, 'Separate several with commas.'].filter(Boolean).join(' ')
      : kind === 'datetime'
        ? // The input takes the company's clock time and the payload gets the offset, so the format is not the person's business.
          [s.description?.replace(/,?\s*ISO 8601.*$/i, ''), `In company time (${effectiveTimeZone()}).`].filter(Boolean).join('. ')
        : s.description;
  const common = {
    id,
    value: typeof value === 'string' ? value : '',
    disabled: ctx.disabled,
    'aria-required': required || undefined,
    'aria-invalid': errors.length > 0 || undefined,
    'aria-describedby': describedBy(id, Boolean(hint), errors.length > 0),
  };
  let input;
  if (kind === 'textarea') {
    input = <textarea {...common} rows={name === 'note' ? 2 : 3} maxLength={s.maxLength} onChange={(event) => onChange(event.target.value)} />;
  } else if (kind === 'number') {
    input = <input {...common} type="number" inputMode="decimal" min={s.minimum} max={s.maximum} step={s.type === 'integer' ? 1 : 'any'} onChange={(event) => onChange(event.target.value)} />;
  } else if (kind === 'datetime') {
    input = <input {...common} type="datetime-local" onChange={(event) => onChange(event.target.value)} />;
  } else {
    input = <input {...common} type="text" maxLength={s.maxLength} onChange={(event) => onChange(event.target.value)} />;
  }
  return (
    <FieldFrame id={id} label={labelOf(name, s)} required={required} hint={hint} errors={errors}>
      {input}
    </FieldFrame>
  );
}
