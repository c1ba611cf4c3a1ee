import { useCallback, useEffect, useState } from 'react';

import type { NotificationListView, NotificationView } from '@smartship/contracts';

import { query } from '../api';
import { useConsole } from '../context';
import type { ApiErrorBody } from '../i18n/errors';
import { consolePath, kindName, severityBadge, timeAgo } from '../notifications';
import { formatTime } from '../status';
import { ErrorBox, Loading, Notice, errorBody, useAction } from '../ui';

const PAGE_SIZE = 20;

/** The severity mark in front of a notification: a shape as well as a colour. */
const SEVERITY_ICONS = { bad: '!', warn: '▲', info: 'i' } as const;

function NotificationItem({
  item,
  onRead,
}: {
  item: NotificationView;
  onRead: (ids: string[]) => Promise<void>;
}) {
  const { lang, t, navigate } = useConsole();
  const badge = severityBadge(lang, item.severity);
  const link = consolePath(item.link);
  const unread = item.readAt === null;
  const titleId = `ntf-${item.id}-title`;
  return (
    <li
      className={`notification tone-${badge.tone} ${unread ? 'unread' : ''}`}
      data-notification={item.id}
      data-kind={item.kind}
      data-unread={unread}
      aria-labelledby={titleId}
    >
      <span className={`sev-icon ${badge.tone}`} aria-hidden="true">
        {SEVERITY_ICONS[badge.tone]}
      </span>
      <div className="ntf-body">
        <div className="ntf-meta">
          <span className={`badge ${badge.tone}`}>{badge.text}</span>
          <span className="ntf-kind">{kindName(lang, item.kind)}</span>
          <span className="ntf-shop">{item.shopName ?? t('ntf.tenantWide')}</span>
          {unread && <span className="ntf-new">{t('ntf.unreadMark')}</span>}
          <time dateTime={item.createdAt} title={formatTime(lang, item.createdAt)}>
            {timeAgo(lang, item.createdAt)}
          </time>
        </div>
        <h2 id={titleId} className="ntf-title">
          {item.title}
        </h2>
        <p className="ntf-message">{item.message}</p>
        {item.suppressedRepeats > 0 && (
          <p className="ntf-repeats small">{t('ntf.repeated', { n: item.suppressedRepeats })}</p>
        )}
        <div className="row">
          {link && (
            <a
              href={link}
              className="button-link"
              onClick={(event) => {
                if (event.metaKey || event.ctrlKey || event.shiftKey) return;
                event.preventDefault();
                if (unread) void onRead([item.id]);
                navigate(link);
              }}
            >
              {t('ntf.fix')} →
            </a>
          )}
          {unread && (
            <button type="button" className="link" onClick={() => void onRead([item.id])}>
              {t('ntf.markRead')}
            </button>
          )}
        </div>
      </div>
    </li>
  );
}

/**
 * 알림: what needs the seller's attention, newest first — severity, shop, what happened, how
 * often it repeated, and a link to the page that fixes it. Unread ones stand out; reading one
 * (or all) updates the bell at once.
 */
export function NotificationsPage() {
  const { api, t, navigate, setUnread, signOut, unread } = useConsole();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [items, setItems] = useState<NotificationView[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [notice, setNotice] = useState('');
  const [loadingMore, setLoadingMore] = useState(false);
  const action = useAction();

  const fetchPage = useCallback(
    (cursor: string | null) =>
      api.get<NotificationListView>(
        `/notifications${query({ unread: unreadOnly || undefined, limit: PAGE_SIZE, cursor })}`,
      ),
    [api, unreadOnly],
  );

  const fail = useCallback(
    (failure: unknown) => {
      const body = errorBody(failure);
      if (body.statusCode === 401) signOut();
      setError(body);
    },
    [signOut],
  );

  const loadFirst = useCallback(() => {
    fetchPage(null).then((page) => {
      setItems(page.items);
      setNextCursor(page.nextCursor);
      setUnread(page.unreadCount);
      setError(null);
    }, fail);
  }, [fetchPage, fail, setUnread]);

  useEffect(loadFirst, [loadFirst]);

  // The bell's poll found new notifications while the page is open: show them.
  const shownUnread = items?.filter((item) => item.readAt === null).length ?? 0;
  useEffect(() => {
    if (items && unread !== null && unread > shownUnread && nextCursor === null) loadFirst();
    // Only a change of the bell's count should trigger this.
  }, [unread]);

  const loadMore = () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    fetchPage(nextCursor)
      .then((page) => {
        setItems((current) => [
          ...(current ?? []),
          ...page.items.filter((item) => !current?.some((known) => known.id === item.id)),
        ]);
        setNextCursor(page.nextCursor);
        setUnread(page.unreadCount);
      }, fail)
      .finally(() => setLoadingMore(false));
  };

  const markRead = async (body: { ids: string[] } | { all: true }) => {
    const answer = await action.run(() =>
      api.json<{ unreadCount: number }>('POST', '/notifications/read', body),
    );
    if (!answer) return;
    setUnread(answer.unreadCount);
    const now = new Date().toISOString();
    const read = (item: NotificationView) =>
      'all' in body || body.ids.includes(item.id) ? { ...item, readAt: item.readAt ?? now } : item;
    // Read ones stay in view (also under "unread only") until the next load, so nothing jumps.
    setItems((current) => current?.map(read) ?? current);
    if ('all' in body) setNotice(t('ntf.allRead'));
  };

  return (
    <section aria-labelledby="ntf-heading">
      <div className="page-head">
        <h1 id="ntf-heading">{t('ntf.title')}</h1>
        <a
          href="/settings/notifications"
          onClick={(event) => {
            event.preventDefault();
            navigate('/settings/notifications');
          }}
        >
          {t('ntf.settingsLink')}
        </a>
      </div>
      <p className="muted">{t('ntf.intro')}</p>
      <div className="row toolbar">
        <label className="choice">
          <input
            type="checkbox"
            checked={unreadOnly}
            onChange={(event) => {
              setItems(null);
              setUnreadOnly(event.target.checked);
            }}
          />
          {t('ntf.unreadOnly')}
        </label>
        <span className="muted" data-testid="unread-count">
          {t('ntf.unreadCount', { n: unread ?? 0 })}
        </span>
        <button
          type="button"
          disabled={action.busy || !unread}
          onClick={() => void markRead({ all: true })}
        >
          {t('ntf.markAll')}
        </button>
        <button type="button" onClick={loadFirst}>
          {t('common.refresh')}
        </button>
      </div>
      {notice && <Notice>{notice}</Notice>}
      <ErrorBox error={error ?? action.error} />
      {!items && !error && <Loading />}
      {items && items.length === 0 && (
        <p className="empty">{unreadOnly ? t('ntf.emptyUnread') : t('ntf.empty')}</p>
      )}
      {items && items.length > 0 && (
        <ul className="notifications">
          {items.map((item) => (
            <NotificationItem key={item.id} item={item} onRead={(ids) => markRead({ ids })} />
          ))}
        </ul>
      )}
      {nextCursor && (
        <button type="button" disabled={loadingMore} onClick={loadMore}>
          {loadingMore ? t('common.loading') : t('ntf.loadMore')}
        </button>
      )}
    </section>
  );
}
