// What was submitted with a completed task, as a definition list.
import { formatDateTime, humanize } from '../ui/format';

function show(value: unknown): string {
  if (value === true) return 'Yes';
  if (value === false) return 'No';
  if (typeof value === 'string') return /^\d{4}-\d\d-\d\dT/.test(value) ? formatDateTime(value) : value.includes('_') && !value.includes(' ') ? humanize(value) : value;
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'object' && item ? Object.values(item).join(' ') : show(item))).join('; ');
  if (value && typeof value === 'object') return Object.entries(value).map(([key, item]) => `${key}: ${show(item)}`).join(', ');
  return String(value);
}

export function PayloadSummary({ payload }: { payload?: Record<string, unknown> }) {
  const entries = Object.entries(payload ?? {});
  if (!entries.length) return null;
  return (
    <dl className="payload">
      {entries.map(([key, value]) => (
        <div key={key} className="payload__item">
          <dt>{humanize(key)}</dt>
          <dd>{show(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
