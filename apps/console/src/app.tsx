import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

import { Api, storeToken, storedToken } from './api';
import { Ctx, translator } from './context';
import type { ConsoleContext } from './context';
import { LANGS, LANG_NAMES, isLang } from './i18n/messages';
import type { Lang, MessageKey } from './i18n/messages';
import { FulfillmentPage } from './pages/fulfillment-page';
import { FulfillmentSettingsPage } from './pages/fulfillment-settings-page';
import { InventoryPage } from './pages/inventory-page';
import { MappingPage } from './pages/mapping-page';
import { NotificationSettingsPage } from './pages/notification-settings-page';
import { NotificationsPage } from './pages/notifications-page';
import { OrdersPage } from './pages/orders-page';
import { ShopFormPage } from './pages/shop-form-page';
import { ShopsPage } from './pages/shops-page';
import { SignInPage } from './pages/sign-in-page';
import { SkusPage } from './pages/skus-page';

const LANG_KEY = 'smartship.lang';

const NAV: { path: string; key: MessageKey }[] = [
  { path: '/shops', key: 'nav.shops' },
  { path: '/skus', key: 'nav.skus' },
  { path: '/mapping', key: 'nav.mapping' },
  { path: '/orders', key: 'nav.orders' },
  { path: '/fulfillment', key: 'nav.fulfillment' },
  { path: '/inventory', key: 'nav.inventory' },
  { path: '/settings/notifications', key: 'nav.notificationSettings' },
];

/** How often the bell asks for the unread count (and at once on each page change). */
const UNREAD_POLL_MS = 30_000;

function initialLang(): Lang {
  const stored = localStorage.getItem(LANG_KEY);
  return isLang(stored) ? stored : 'ko';
}

function Page({ path }: { path: string }) {
  if (path === '/shops/new') return <ShopFormPage />;
  const settings = /^\/shops\/([^/]+)\/fulfillment-settings$/.exec(path);
  if (settings) return <FulfillmentSettingsPage shopId={decodeURIComponent(settings[1])} />;
  if (path.startsWith('/shops')) return <ShopsPage />;
  if (path.startsWith('/skus')) return <SkusPage />;
  if (path.startsWith('/mapping')) return <MappingPage />;
  if (path.startsWith('/orders')) {
    const number = decodeURIComponent(path.slice('/orders/'.length));
    return <OrdersPage orderNumber={path.startsWith('/orders/') ? number : null} />;
  }
  if (path.startsWith('/fulfillment')) return <FulfillmentPage />;
  if (path.startsWith('/inventory')) return <InventoryPage />;
  if (path.startsWith('/notifications')) return <NotificationsPage />;
  if (path.startsWith('/settings/notifications')) return <NotificationSettingsPage />;
  return <ShopsPage />;
}

/** A bell (inline SVG: the page's CSP allows no outside images, and emoji fonts vary). */
function BellIcon() {
  return (
    <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
      />
    </svg>
  );
}

/** The console: sign-in, then the seller's pages behind a navigation bar. */
export function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [token, setToken] = useState<string | null>(storedToken);
  const [path, setPath] = useState(window.location.pathname);
  const [unread, setUnread] = useState<number | null>(null);
  const main = useRef<HTMLElement>(null);

  useEffect(() => {
    const onPop = () => setPath(window.location.pathname);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang;
    localStorage.setItem(LANG_KEY, lang);
  }, [lang]);

  const navigate = useCallback((to: string) => {
    window.history.pushState(null, '', to);
    setPath(to);
    // Moves focus to the new page for keyboard and screen-reader users.
    requestAnimationFrame(() => main.current?.focus());
  }, []);

  const signOut = useCallback(() => {
    storeToken(null);
    setToken(null);
  }, []);

  // One client per token, so pages that load with `api` do not reload when the count changes.
  const api = useMemo(() => new Api(token), [token]);
  const context = useMemo<ConsoleContext>(
    () => ({ lang, t: translator(lang), api, navigate, signOut, unread, setUnread }),
    [lang, api, navigate, signOut, unread],
  );
  const t = context.t;

  // The bell's count: polled, and asked again on each page change and when the tab comes back.
  useEffect(() => {
    if (!token) return;
    let live = true;
    const poll = () => {
      if (document.visibilityState === 'hidden') return;
      api.get<{ unreadCount: number }>('/notifications?unread=true&limit=1').then(
        (page) => live && setUnread(page.unreadCount),
        () => live && setUnread(null),
      );
    };
    poll();
    const timer = setInterval(poll, UNREAD_POLL_MS);
    document.addEventListener('visibilitychange', poll);
    return () => {
      live = false;
      clearInterval(timer);
      document.removeEventListener('visibilitychange', poll);
    };
  }, [token, path]);

  useEffect(() => {
    document.title = `${t('app.name')}`;
  }, [t]);

  const languagePicker = (
    <label className="lang">
      <span>{t('nav.language')}</span>
      <select
        value={lang}
        onChange={(event) => isLang(event.target.value) && setLang(event.target.value)}
      >
        {LANGS.map((code) => (
          <option key={code} value={code}>
            {LANG_NAMES[code]}
          </option>
        ))}
      </select>
    </label>
  );

  if (!token) {
    return (
      <Ctx.Provider value={context}>
        <header className="topbar">
          <span className="brand">{t('app.name')}</span>
          {languagePicker}
        </header>
        <main id="main" className="content narrow">
          <SignInPage
            onSignedIn={(value) => {
              storeToken(value);
              setToken(value);
              if (path === '/' || path === '') navigate('/shops');
            }}
          />
        </main>
      </Ctx.Provider>
    );
  }

  return (
    <Ctx.Provider value={context}>
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <header className="topbar">
        <span className="brand">{t('app.name')}</span>
        <nav aria-label={t('nav.label')}>
          <ul>
            {NAV.map((item) => {
              const current = path === item.path || path.startsWith(`${item.path}/`);
              return (
                <li key={item.path}>
                  <a
                    href={item.path}
                    aria-current={current ? 'page' : undefined}
                    onClick={(event) => {
                      if (event.metaKey || event.ctrlKey || event.shiftKey) return;
                      event.preventDefault();
                      navigate(item.path);
                    }}
                  >
                    {t(item.key)}
                  </a>
                </li>
              );
            })}
          </ul>
        </nav>
        <a
          href="/notifications"
          className="bell"
          aria-current={path === '/notifications' ? 'page' : undefined}
          aria-label={unread ? t('bell.unread', { n: unread }) : t('bell.label')}
          onClick={(event) => {
            if (event.metaKey || event.ctrlKey || event.shiftKey) return;
            event.preventDefault();
            navigate('/notifications');
          }}
        >
          <BellIcon />
          {unread ? (
            <span className="bell-count" data-testid="bell-count">
              {unread > 99 ? '99+' : unread}
            </span>
          ) : null}
        </a>
        {languagePicker}
        <button type="button" className="link" onClick={signOut}>
          {t('nav.signOut')}
        </button>
      </header>
      <main id="main" className="content" tabIndex={-1} ref={main}>
        <Page path={path} />
      </main>
    </Ctx.Provider>
  );
}
