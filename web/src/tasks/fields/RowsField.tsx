// A list of objects (assets with make, model, serial): one row per item, add and remove.
import { fieldId } from '../errors';
import { shapeOf, unwrap, type FormValues } from '../schema';
import { FieldFrame, labelOf, ObjectFields, type FieldProps } from './Field';

const singular = (label: string) => label.replace(/ies$/, 'y').replace(/s$/, '');

export function RowsField({ name, path, schema, required, value, onChange, ctx }: FieldProps) {
  const s = unwrap(schema);
  const id = fieldId(ctx.formId, path);
  const min = s.minItems ?? 0;
  const rows = (value as FormValues[] | undefined) ?? (min > 0 ? [{}] : []);
  const label = labelOf(name, s);
  const one = singular(label);
  const itemSchema = unwrap(s.items ?? {});

  const setRow = (index: number, row: FormValues) => onChange(rows.map((existing, i) => (i === index ? row : existing)));
  return (
    <FieldFrame id={id} label={label} required={required} hint={s.description} errors={ctx.errors.at(path)} group>
      <ol className="rows">
        {rows.map((row, index) => (
          <li key={index} className="rows__row">
            <fieldset className="rows__fields">
              <legend className="rows__legend">
                {one} {index + 1}
              </legend>
              <ObjectFields shape={shapeOf(itemSchema, row)} values={row} onChange={(next) => setRow(index, next)} path={`${path}.${index}`} ctx={ctx} />
            </fieldset>
            <button
              type="button"
              className="button button--small button--quiet"
              onClick={() => onChange(rows.filter((_, i) => i !== index))}
              disabled={ctx.disabled || rows.length <= Math.max(min, 0)}
            >
              Remove {one.toLowerCase()} {index + 1}
            </button>
          </li>
        ))}
      </ol>
      <button type="button" className="button button--small" onClick={() => onChange([...rows, {}])} disabled={ctx.disabled}>
        + Add {one.toLowerCase()}
      </button>
    </FieldFrame>
  );
}
