// An object of free keys (a checklist's answers): rows of item and value.
import { fieldId } from '../errors';
import { unwrap, type Pair } from '../schema';
import { FieldFrame, labelOf, type FieldProps } from './Field';

export function RecordField({ name, path, schema, required, value, onChange, ctx }: FieldProps) {
  const s = unwrap(schema);
  const id = fieldId(ctx.formId, path);
  const pairs = (value as Pair[] | undefined) ?? [{ key: '', value: '' }];
  const set = (index: number, pair: Pair) => onChange(pairs.map((existing, i) => (i === index ? pair : existing)));
  return (
    <FieldFrame id={id} label={labelOf(name, s)} required={required} hint={s.description} errors={ctx.errors.within(path)} group>
      <ol className="pairs">
        {pairs.map((pair, index) => {
          const rowId = `${id}-${index}`;
          return (
            <li key={index} className="pairs__row">
              <div className="pairs__cell">
                <label htmlFor={`${rowId}-key`} className="pairs__label">
                  Item {index + 1}
                </label>
                <input id={`${rowId}-key`} type="text" value={pair.key} placeholder="e.g. display" disabled={ctx.disabled} onChange={(event) => set(index, { ...pair, key: event.target.value })} />
              </div>
              <div className="pairs__cell">
                <label htmlFor={`${rowId}-value`} className="pairs__label">
                  Value {index + 1}
                </label>
                <input id={`${rowId}-value`} type="text" value={pair.value} placeholder="e.g. ok" disabled={ctx.disabled} onChange={(event) => set(index, { ...pair, value: event.target.value })} />
              </div>
              <button
                type="button"
                className="button button--small button--quiet pairs__remove"
                onClick={() => onChange(pairs.filter((_, i) => i !== index))}
                disabled={ctx.disabled || pairs.length <= 1}
              >
                Remove<span className="visually-hidden"> item {index + 1}</span>
              </button>
            </li>
          );
        })}
      </ol>
      <button type="button" className="button button--small" onClick={() => onChange([...pairs, { key: '', value: '' }])} disabled={ctx.disabled}>
        + Add item
      </button>
    </FieldFrame>
  );
}
