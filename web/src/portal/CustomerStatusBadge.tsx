import type { CustomerStatus } from '../api/types';
import { STATUS_FOR_CUSTOMERS } from './types';

/** The status in words (colour never carries it alone), with its meaning beside it when asked. */
export function CustomerStatusBadge({ status, explain }: { status: CustomerStatus; explain?: boolean }) {
  const words = STATUS_FOR_CUSTOMERS[status];
  return (
    <>
      <span className={`badge badge--status badge--${status}`} data-testid="case-status">
        {words.text}
      </span>
      {explain && <span className="muted small block">{words.meaning}</span>}
    </>
  );
}
