// One form field for one property of a JSON Schema, chosen by what the schema says it is.
import type { ReactNode } from 'react';
import type { JsonSchema } from '../../api/types';
import { humanize } from '../../ui/format';
import { fieldId, type FieldErrors } from '../errors';
import { kindOf, shapeOf, unwrap, type FormShape, type FormValues } from '../schema';
import { ChecklistField } from './ChecklistField';
import { BooleanField, ChoiceField } from './ChoiceField';
import { DocumentPicker } from './DocumentPicker';
import { RecordField } from './RecordField';
import { RowsField } from './RowsField';
import { TextField } from './TextField';

export interface FormContext {
  formId: string;
  errors: FieldErrors;
  projectId: string;
  disabled: boolean;
}

export interface FieldProps {
  name: string;
  path: string;
  schema: JsonSchema;
  required: boolean;
  value: unknown;
  onChange: (value: unknown) => void;
  ctx: FormContext;
}

export const labelOf = (name: string, schema: JsonSchema): string => schema.title ?? humanize(name);

/** aria-describedby for a field with a hint and/or an error. */
export function describedBy(id: string, hint: boolean, error: boolean): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

interface FrameProps {
  id: string;
  label: string;
  required: boolean;
  hint?: string;
  errors: string[];
  /** A group of inputs (radios, rows) gets a fieldset and legend instead of a label. */
  group?: boolean;
  children: ReactNode;
}

export function FieldFrame({ id, label, required, hint, errors, group, children }: FrameProps) {
  const title = (
    <>
      {label}
      {required ? (
        <span className="required" aria-hidden="true">
          {' '}
          *
        </span>
      ) : (
        <span className="optional"> (optional)</span>
      )}
    </>
  );
  const hintText = hint ? (
    <p id={`${id}-hint`} className="hint">
      {hint}
    </p>
  ) : null;
  const errorText = errors.length ? (
    <p id={`${id}-error`} className="field-error">
      <span aria-hidden="true">! </span>
      {errors.join('. ')}
    </p>
  ) : null;
  if (group) {
    return (
      <fieldset id={id} tabIndex={-1} className={`field field--group${errors.length ? ' field--invalid' : ''}`} aria-describedby={describedBy(id, Boolean(hint), errors.length > 0)}>
        <legend>{title}</legend>
        {hintText}
        {children}
        {errorText}
      </fieldset>
    );
  }
  return (
    <div className={`field${errors.length ? ' field--invalid' : ''}`}>
      <label htmlFor={id}>{title}</label>
      {hintText}
      {children}
      {errorText}
    </div>
  );
}

export function Field(props: FieldProps) {
  const { name, schema } = props;
  const kind = kindOf(name, schema);
  switch (kind) {
    case 'checklist':
      return <ChecklistField {...props} />;
    case 'choice':
      return <ChoiceField {...props} />;
    case 'boolean':
      return <BooleanField {...props} />;
    case 'documents':
      return <DocumentPicker {...props} />;
    case 'rows':
      return <RowsField {...props} />;
    case 'record':
      return <RecordField {...props} />;
    case 'object':
      return <NestedObject {...props} />;
    default:
      return <TextField {...props} kind={kind} />;
  }
}

function NestedObject({ name, path, schema, required, value, onChange, ctx }: FieldProps) {
  const values = (value as FormValues | undefined) ?? {};
  const s = unwrap(schema);
  const id = fieldId(ctx.formId, path);
  return (
    <FieldFrame id={id} label={labelOf(name, s)} required={required} hint={s.description} errors={ctx.errors.at(path)} group>
      <ObjectFields shape={shapeOf(s, values)} values={values} onChange={onChange} path={path} ctx={ctx} />
    </FieldFrame>
  );
}

export function ObjectFields({ shape, values, onChange, path, ctx }: { shape: FormShape; values: FormValues; onChange: (values: FormValues) => void; path: string; ctx: FormContext }) {
  return (
    <>
      {shape.properties.map(([name, schema]) => {
        const childPath = path ? `${path}.${name}` : name;
        return (
          <Field
            key={childPath}
            name={name}
            path={childPath}
            schema={schema}
            required={shape.required.has(name)}
            value={values[name]}
            onChange={(value) => onChange({ ...values, [name]: value })}
            ctx={ctx}
          />
        );
      })}
    </>
  );
}
