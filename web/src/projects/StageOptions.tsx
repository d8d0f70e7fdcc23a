import { humanize } from '../ui/format';
import { SALES_STAGES, SERVICE_STAGES } from './stages';

/** The stage filter's options, grouped by kind; `closed` adds each kind's closed stages. */
export function StageOptions({ closed = false }: { closed?: boolean }) {
  const groups: [string, string[]][] = [
    ['Service', closed ? [...SERVICE_STAGES, 'closed'] : SERVICE_STAGES],
    ['Sales', closed ? [...SALES_STAGES, 'completed', 'cancelled'] : SALES_STAGES],
  ];
  return (
    <>
      {groups.map(([label, stages]) => (
        <optgroup key={label} label={label}>
          {stages.map((value) => (
            <option key={value} value={value}>
              {humanize(value)}
            </option>
          ))}
        </optgroup>
      ))}
    </>
  );
}
