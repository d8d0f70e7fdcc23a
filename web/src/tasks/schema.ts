// Reading a task type's payload JSON Schema as a form: which fields to show (with the
// branch of a discriminated oneOf/anyOf that the chosen value selects), what kind of
// input each needs, the form's values, and the payload the API expects from them.
import type { JsonSchema } from '../api/types';
import { zonedToIso } from '../ui/format';

export type FieldKind = 'checklist' | 'choice' | 'boolean' | 'text' | 'textarea' | 'number' | 'datetime' | 'documents' | 'list' | 'rows' | 'record' | 'object';

export type FormValues = Record<string, unknown>;
export interface Pair {
  key: string;
  value: string;
}

export interface FormShape {
  properties: [string, JsonSchema][];
  required: Set<string>;
  /** The property whose value picks the branch, when the schema is a union of objects. */
  discriminator?: string;
}

/** `anyOf: [X, {type: "null"}]` is an optional X. */
export function unwrap(schema: JsonSchema): JsonSchema {
  const options = schema.anyOf ?? schema.oneOf;
  if (options && !schema.properties) {
    const real = options.filter((option) => option.type !== 'null');
    if (real.length === 1) return { ...real[0], description: schema.description ?? real[0].description };
  }
  return schema;
}

export function choicesOf(schema: JsonSchema): unknown[] | undefined {
  const s = unwrap(schema);
  if (Array.isArray(s.enum)) return s.enum;
  if (s.const !== undefined) return [s.const];
  // A union of literals (zod writes `z.union([z.literal(1), z.literal(2)])` as anyOf of consts).
  const options = s.properties ? undefined : (s.anyOf ?? s.oneOf)?.filter((option) => option.type !== 'null');
  if (options?.length && options.every((option) => !option.properties && (option.const !== undefined || Array.isArray(option.enum)))) {
    return options.flatMap((option) => (Array.isArray(option.enum) ? option.enum : [option.const]));
  }
  return undefined;
}

const typeIs = (schema: JsonSchema, type: string) => (Array.isArray(schema.type) ? schema.type.includes(type) : schema.type === type);

export function kindOf(name: string, schema: JsonSchema): FieldKind {
  const s = unwrap(schema);
  if (s['x-checklist']) return 'checklist';
  if (choicesOf(s)) return 'choice';
  if (typeIs(s, 'boolean')) return 'boolean';
  if (typeIs(s, 'number') || typeIs(s, 'integer')) return 'number';
  if (typeIs(s, 'array')) {
    const items = s.items ? unwrap(s.items) : {};
    if (typeIs(items, 'object')) return 'rows';
    if (/documentIds$/.test(name)) return 'documents';
    return 'list';
  }
  if (typeIs(s, 'object') || s.properties || s.additionalProperties !== undefined) {
    return s.properties && Object.keys(s.properties).length ? 'object' : 'record';
  }
  if (s.format === 'date-time') return 'datetime';
  if (name === 'note' || name === 'description' || (s.maxLength ?? 0) > 500) return 'textarea';
  return 'text';
}

const branchesOf = (schema: JsonSchema): JsonSchema[] | undefined => {
  const branches = schema.oneOf ?? schema.anyOf;
  return branches && branches.every((branch) => branch.properties) ? branches : undefined;
};

/** A property every branch has, with distinct const/enum values per branch. */
export function discriminatorOf(branches: JsonSchema[]): string | undefined {
  const first = branches[0].properties ?? {};
  return Object.keys(first).find((name) => {
    const seen = new Set<string>();
    for (const branch of branches) {
      const values = branch.properties?.[name] && choicesOf(branch.properties[name]);
      if (!values) return false;
      for (const value of values) {
        if (seen.has(String(value))) return false;
        seen.add(String(value));
      }
    }
    return true;
  });
}

export function shapeOf(schema: JsonSchema, values: FormValues): FormShape {
  const branches = branchesOf(schema);
  if (!branches) return { properties: Object.entries(schema.properties ?? {}), required: new Set(schema.required ?? []) };
  const discriminator = discriminatorOf(branches);
  if (!discriminator) {
    // Not a discriminated union: show the first shape.
    return { properties: Object.entries(branches[0].properties ?? {}), required: new Set(branches[0].required ?? []) };
  }
  const options = branches.flatMap((branch) => choicesOf(branch.properties![discriminator]) ?? []);
  const base = branches[0].properties![discriminator];
  const merged: JsonSchema = { type: 'string', enum: options, title: base.title, description: base.description };
  const chosen = values[discriminator];
  const active = branches.find((branch) => (choicesOf(branch.properties![discriminator]) ?? []).some((option) => String(option) === chosen));
  if (active) {
    return {
      properties: Object.entries(active.properties!).map(([name, s]) => [name, name === discriminator ? merged : s]),
      required: new Set(active.required ?? []),
      discriminator,
    };
  }
  // Nothing chosen yet: the fields every branch shares.
  const common = Object.entries(branches[0].properties!).filter(([name]) => branches.every((branch) => branch.properties![name]));
  const required = (branches[0].required ?? []).filter((name) => branches.every((branch) => branch.required?.includes(name)));
  return { properties: common.map(([name, s]) => [name, name === discriminator ? merged : s]), required: new Set(required), discriminator };
}

/** What an untouched field holds: one empty row for a list that needs rows, one empty pair for a record. */
export function emptyValue(name: string, schema: JsonSchema): unknown {
  const s = unwrap(schema);
  switch (kindOf(name, s)) {
    case 'rows':
      return (s.minItems ?? 0) > 0 ? [{}] : [];
    case 'record':
      return [{ key: '', value: '' }];
    case 'documents':
      return [];
    case 'object':
    case 'checklist':
      return {};
    default:
      return undefined;
  }
}

/** "2026-12-01T09:00" on the company's clocks (COMPANY_TIME_ZONE) → "2026-12-01T09:00:00+10:30". */
export const localToIso = (local: string): string => (local ? zonedToIso(local) : local);

/** The form's values as the payload: empty optional fields left out, types restored. */
export function toPayload(name: string, schema: JsonSchema, value: unknown): unknown {
  const s = unwrap(schema);
  const v = value === undefined ? emptyValue(name, s) : value;
  switch (kindOf(name, s)) {
    case 'object':
      return objectPayload(shapeOf(s, (v as FormValues) ?? {}), (v as FormValues) ?? {});
    case 'checklist':
      return checklistPayload(s, (v as FormValues) ?? {});
    case 'record': {
      const pairs = ((v as Pair[]) ?? []).filter((pair) => pair.key.trim());
      return Object.fromEntries(pairs.map((pair) => [pair.key.trim(), pair.value]));
    }
    case 'rows':
      return ((v as FormValues[]) ?? []).map((row) => toPayload('', s.items ?? {}, row));
    case 'documents':
      return (v as string[])?.length ? v : undefined;
    case 'list': {
      const items = String(v ?? '')
        .split(/[,\n]/)
        .map((item) => item.trim())
        .filter(Boolean);
      return items.length ? items : undefined;
    }
    case 'boolean':
      return typeof v === 'boolean' ? v : undefined;
    case 'number': {
      const text = String(v ?? '').trim();
      if (!text) return undefined;
      const number = Number(text);
      return Number.isNaN(number) ? text : number;
    }
    case 'choice': {
      if (v === undefined || v === '') return undefined;
      return choicesOf(s)?.find((option) => String(option) === v) ?? v;
    }
    case 'datetime':
      return v ? localToIso(String(v)) : undefined;
    default: {
      const text = String(v ?? '');
      return text.trim() ? text : undefined;
    }
  }
}

export function objectPayload(shape: FormShape, values: FormValues): FormValues {
  const payload: FormValues = {};
  for (const [name, schema] of shape.properties) {
    const value = toPayload(name, schema, values[name]);
    if (value !== undefined) payload[name] = value;
  }
  return payload;
}

/** A pass/fail/n.a. answer as the form holds it. */
export interface PassFailValue {
  result?: 'pass' | 'fail' | 'na';
  comment?: string;
}

/** A checklist's answers from the form: unanswered items left out (the server names the required ones). */
export function checklistPayload(schema: JsonSchema, values: FormValues): FormValues {
  const answers: FormValues = {};
  for (const [id, item] of Object.entries(schema.properties ?? {})) {
    const value = values[id];
    switch (item['x-itemType']) {
      case 'pass_fail_na': {
        const { result, comment } = (value as PassFailValue | undefined) ?? {};
        if (result) answers[id] = { result, ...(comment?.trim() ? { comment: comment.trim() } : {}) };
        break;
      }
      case 'number': {
        const text = String(value ?? '').trim().replace(',', '.');
        if (text) answers[id] = Number.isNaN(Number(text)) ? text : Number(text);
        break;
      }
      default:
        if (typeof value === 'string' && value.trim()) answers[id] = item['x-itemType'] === 'text' ? value.trim() : value;
    }
  }
  return answers;
}
