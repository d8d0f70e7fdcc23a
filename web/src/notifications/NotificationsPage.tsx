// My notifications, newest first: what went overdue and what was escalated, each a link
// to the task it is about. New ones arrive live; opening one marks it read.
import { useCallback, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import type { AppNotification, NotificationPage } from '../api/oversight';
import { useResource } from '../api/useResource';
import { isStaff, useApi, useSession } from '../auth/session';
import { LiveIndicator } from '../live/LiveIndicator';
import { EmptyState, ErrorNotice, SkeletonRows } from '../ui/EmptyState';
import { formatDateTime, formatRelative } from '../ui/format';
import { usePageTitle } from '../ui/usePageTitle';
import { useNotifications, useShellChanges } from './NotificationsProvider';

const kindText: Record<string, string> = { 'task.overdue': 'Overdue', 'task.escalated': 'Escalated', 'case.message': 'Message' };

export function NotificationsPage() {
  usePageTitle('Notifications');
  const api = useApi();
  const { user } = useSession();
  const { setUnread } = useNotifications();
  const [params, setParams] = useSearchParams();
  const onlyUnread = params.get('show') === 'unread';
  const [more, setMore] = useState<AppNotification[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const first = useResource(async (signal) => {
    const page = await api.get<NotificationPage>('/notifications', { query: { limit: 50, unread: onlyUnread ? 'true' : undefined }, signal });
    setMore([]);
    setNextCursor(page.nextCursor);
    setUnread(page.unreadCount);
    return page;
  }, [onlyUnread, user.id]);
  const live = useShellChanges(
    useCallback(
      (notices) => {
        if (notices.length === 0 || notices.some((notice) => notice.notified)) void first.reload();
      },
      [first.reload],
    ),
  );

  const items = [...(first.data?.items ?? []), ...more];
  const unread = first.data?.unreadCount ?? 0;

  const loadMore = async () => {
    if (!nextCursor) return;
    const page = await api.get<NotificationPage>('/notifications', { query: { limit: 50, cursor: nextCursor, unread: onlyUnread ? 'true' : undefined } });
    setMore((current) => [...current, ...page.items]);
    setNextCursor(page.nextCursor);
  };

  const markRead = async (item: AppNotification) => {
    if (item.read) return;
    const answer = await api.post<{ unreadCount: number }>(`/notifications/${encodeURIComponent(item.id)}/read`);
    setUnread(answer.unreadCount);
    void first.reload();
  };

  const markAll = async () => {
    setBusy(true);
    try {
      // Only what this page has shown: one that arrives meanwhile stays unread.
      const newest = items[0]?.at;
      const answer = await api.post<{ unreadCount: number }>('/notifications/read-all', newest ? { before: newest } : {});
      setUnread(answer.unreadCount);
      await first.reload();
    } finally {
      setBusy(false);
    }
  };

  // A customer's case message opens their case in the portal (the address its mail links to too).
  const target = (item: AppNotification) =>
    item.taskId
      ? `/tasks/${encodeURIComponent(item.taskId)}`
      : isStaff(user.role)
        ? `/projects/${encodeURIComponent(item.projectId)}`
        : item.kind === 'case.message'
          ? `/cases/${encodeURIComponent(item.projectId)}`
          : '/';

  return (
    <div className="page page--narrow">
      <div className="page-head">
        <div>
          <h1>Notifications</h1>
          <p className="muted page-head__sub" data-testid="notifications-summary">
            {first.data ? (unread === 0 ? 'Nothing unread.' : `${unread} unread.`) : 'Loading…'} Overdue and escalated work for you and your team.
          </p>
        </div>
        <LiveIndicator status={live} />
      </div>

      <div className="filters notifications__tools">
        <div className="segmented" role="group" aria-label="Show">
          <button type="button" className="button button--small" aria-pressed={!onlyUnread} onClick={() => setParams({}, { replace: true })}>
            All
          </button>
          <button type="button" className="button button--small" aria-pressed={onlyUnread} onClick={() => setParams({ show: 'unread' }, { replace: true })}>
            Unread
          </button>
        </div>
        <button type="button" className="button button--small" disabled={busy || unread === 0} onClick={() => void markAll()}>
          Mark all read
        </button>
      </div>

      {first.error && !first.data ? (
        <ErrorNotice error={first.error} onRetry={() => void first.reload()} />
      ) : !first.data ? (
        <SkeletonRows rows={4} label="Loading your notifications" />
      ) : items.length === 0 ? (
        <EmptyState title={onlyUnread ? 'Nothing unread' : 'No notifications yet'}>
          When a task of yours or your team's goes overdue or is escalated, it shows here, and the bell in the header counts it.
        </EmptyState>
      ) : (
        <ul className="notification-list" aria-label="Notifications">
          {items.map((item) => (
            <li key={item.id} className={`notification${item.read ? '' : ' notification--unread'}`} data-testid={`notification-${item.id}`}>
              <div className="notification__main">
                <span className={`badge badge--${item.kind === 'task.escalated' ? 'overdue' : 'problem'}`}>{kindText[item.kind] ?? item.kind}</span>{' '}
                <Link to={target(item)} className="strong-link" onClick={() => void markRead(item)}>
                  {item.summary}
                </Link>
                {!item.read && <span className="visually-hidden"> (unread)</span>}
                <span className="muted small block">
                  {item.projectTitle ?? 'Untitled project'} ·{' '}
                  <time dateTime={item.at} title={formatDateTime(item.at)}>
                    {formatRelative(item.at)}
                  </time>
                  {item.recipient.startsWith('group:') ? ' · to your team' : ''}
                </span>
              </div>
              {!item.read && (
                <button type="button" className="button button--small" onClick={() => void markRead(item)}>
                  Mark read<span className="visually-hidden">: {item.summary}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {nextCursor && (
        <p>
          <button type="button" className="button" onClick={() => void loadMore()}>
            Show older
          </button>
        </p>
      )}
    </div>
  );
}
