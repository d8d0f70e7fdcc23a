// The label a person saw for a dotted error path: "assets.0.serial" → "Asset 1 › Serial".
import type { JsonSchema } from '../api/types';
import { humanize } from '../ui/format';
import { unwrap } from './schema';

function propertySchema(schema: JsonSchema, name: string): JsonSchema | undefined {
  const s = unwrap(schema);
  if (s.properties?.[name]) return s.properties[name];
  for (const branch of s.oneOf ?? s.anyOf ?? []) if (branch.properties?.[name]) return branch.properties[name];
  return undefined;
}

export function labelOfPath(schema: JsonSchema, path: string): string {
  if (!path) return 'Form';
  const parts: string[] = [];
  let current: JsonSchema | undefined = schema;
  let lastName = '';
  for (const segment of path.split('.')) {
    if (/^\d+$/.test(segment)) {
      parts.push(`${humanize(lastName).replace(/s$/, '')} ${Number(segment) + 1}`.trim());
      if (parts.length > 1) parts.splice(parts.length - 2, 1);
      current = current ? unwrap(current).items : undefined;
      continue;
    }
    const next: JsonSchema | undefined = current ? propertySchema(current, segment) : undefined;
    parts.push(next?.title ?? humanize(segment));
    lastName = segment;
    current = next;
  }
  return parts.join(' › ');
}
