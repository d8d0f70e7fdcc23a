import type { LiveStatus } from './useLiveChanges';

const text: Record<LiveStatus, string> = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' };

/** A small "Live" mark: the page updates by itself while it shows. */
export function LiveIndicator({ status }: { status: LiveStatus }) {
  return (
    <span className={`live live--${status}`} title="This page updates by itself when anything changes">
      <span className="live__dot" aria-hidden="true" />
      {text[status]}
    </span>
  );
}
