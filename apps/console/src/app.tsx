import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

import { permissionChecker } from './access';
import type { Permission, SessionView } from './access';
import { Api, ApiError } from './api';
import { Ctx, translator } from './context';
import type { ConsoleContext } from './context';
import { LANGS, LANG_NAMES, isLang } from './i18n/messages';
import type { Lang, MessageKey } from './i18n/messages';
import { OPERATOR_HOME, isOperator, landingPath, tenantIdOfPath } from './operator';
import { FulfillmentPage } from './pages/fulfillment-page';
import { FulfillmentSettingsPage } from './pages/fulfillment-settings-page';
import { AccountPage } from './pages/account-page';
import { AcceptInvitationPage } from './pages/accept-invitation-page';
import { InventoryPage } from './pages/inventory-page';
import { ListingsPage } from './pages/listings-page';
import { MappingPage } from './pages/mapping-page';
import { NotificationSettingsPage } from './pages/notification-settings-page';
import { NotificationsPage } from './pages/notifications-page';
import { OperatorTenantPage } from './pages/operator-tenant-page';
import { OperatorTenantsPage } from './pages/operator-tenants-page';
import { OrdersPage } from './pages/orders-page';
import { PasswordResetPage } from './pages/password-reset-page';
import { PeoplePage } from './pages/people-page';
import { ShopFormPage } from './pages/shop-form-page';
import { ShopsPage } from './pages/shops-page';
import { SignInPage } from './pages/sign-in-page';
import { SkusPage } from './pages/skus-page';
import { StockSettingsPage } from './pages/stock-settings-page';
import { TokensPage } from './pages/tokens-page';
import { Loading } from './ui';

const LANG_KEY = 'smartship.lang';

/** The menu; an entry shows only when the signed-in role holds its permission. */
const NAV: { path: string; key: MessageKey; permission: Permission }[] = [
  { path: '/shops', key: 'nav.shops', permission: 'read' },
  { path: '/skus', key: 'nav.skus', permission: 'read' },
  { path: '/listings', key: 'nav.listings', permission: 'read' },
  { path: '/mapping', key: 'nav.mapping', permission: 'read' },
  { path: '/orders', key: 'nav.orders', permission: 'read' },
  { path: '/fulfillment', key: 'nav.fulfillment', permission: 'read' },
  { path: '/inventory', key: 'nav.inventory', permission: 'read' },
  { path: '/settings/notifications', key: 'nav.notificationSettings', permission: 'read' },
  { path: '/people', key: 'nav.people', permission: 'users.manage' },
  { path: '/tokens', key: 'nav.tokens', permission: 'tokens.manage' },
];

/** The operator's menu (the platform's staff: no tenant of their own, so no seller pages). */
const OPERATOR_NAV: { path: string; key: MessageKey }[] = [
  { path: OPERATOR_HOME, key: 'nav.tenants' },
];

/** Pages for people who are not signed in: the links e-mailed to them. */
const PUBLIC_PAGES = ['/invitations/accept', '/password-reset'];

/** How often the bell asks for the unread count (and at once on each page change). */
const UNREAD_POLL_MS = 30_000;

function initialLang(): Lang {
  const stored = localStorage.getItem(LANG_KEY);
  return isLang(stored) ? stored : 'ko';
}

/** The operator's pages: tenants, one tenant, their account; anything else shows the tenants. */
function OperatorPage({ path }: { path: string }) {
  if (path === '/account') return <AccountPage />;
  const tenantId = tenantIdOfPath(path);
  if (tenantId) return <OperatorTenantPage key={tenantId} tenantId={tenantId} />;
  return <OperatorTenantsPage />;
}

function Page({ path }: { path: string }) {
  if (path === '/people') return <PeoplePage />;
  if (path === '/tokens') return <TokensPage />;
  if (path === '/account') return <AccountPage />;
  if (path === '/shops/new') return <ShopFormPage />;
  const settings = /^\/shops\/([^/]+)\/fulfillment-settings$/.exec(path);
  if (settings) return <FulfillmentSettingsPage shopId={decodeURIComponent(settings[1])} />;
  const stock = /^\/shops\/([^/]+)\/stock-settings$/.exec(path);
  if (stock) return <StockSettingsPage shopId={decodeURIComponent(stock[1])} />;
  if (path.startsWith('/shops')) return <ShopsPage />;
  if (path.startsWith('/skus')) return <SkusPage />;
  if (path.startsWith('/listings')) return <ListingsPage />;
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

/**
 * The console: sign-in, then the seller's pages behind a navigation bar; an operator (the
 * platform's staff) gets the operator pages instead.
 */
export function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  // undefined: not known yet (GET /session asks the gateway whether the cookie is still good).
  const [session, setSession] = useState<SessionView | null | undefined>(undefined);
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

  // After a reload the cookie may still hold a session: ask who is signed in (and the CSRF token).
  useEffect(() => {
    let live = true;
    new Api(null).get<SessionView>('/session').then(
      (answer) => live && setSession(answer),
      () => live && setSession(null),
    );
    return () => {
      live = false;
    };
  }, []);

  const signOut = useCallback(() => {
    setSession(null);
    setUnread(null);
  }, []);

  const csrfToken = session?.csrfToken ?? null;
  const signedIn = Boolean(session);
  const operator = isOperator(session?.user);
  // One client per session, so pages that load with `api` do not reload when the count changes.
  const api = useMemo(() => new Api(csrfToken), [csrfToken]);
  const can = useMemo(() => permissionChecker(session?.permissions), [session]);

  const endSession = useCallback(
    async (everywhere: boolean) => {
      try {
        await api.json('DELETE', everywhere ? '/sessions' : '/session');
      } catch (error) {
        // Already ended (401): the same as signed out; anything else is said on the page.
        if (!(error instanceof ApiError && error.body.statusCode === 401)) throw error;
      }
      signOut();
    },
    [api, signOut],
  );

  const context = useMemo<ConsoleContext>(
    () => ({
      lang,
      t: translator(lang),
      api,
      navigate,
      signOut,
      session: session ?? null,
      can,
      endSession,
      setSession,
      unread,
      setUnread,
    }),
    [lang, api, navigate, signOut, session, can, endSession, unread],
  );
  const t = context.t;

  // An operator on a seller page (a reload of an old address, `/`) is shown the tenants.
  const sessionRole = session?.user.role;
  useEffect(() => {
    if (sessionRole !== 'operator' || PUBLIC_PAGES.includes(path)) return;
    const to = landingPath(sessionRole, path);
    if (to) {
      window.history.replaceState(null, '', to);
      setPath(to);
    }
  }, [sessionRole, path]);

  // The bell's count: polled, and asked again on each page change and when the tab comes back.
  // Operators have no tenant, so no notifications and no bell.
  useEffect(() => {
    if (!signedIn || operator || !can('read')) return;
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
  }, [signedIn, operator, can, path]);

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

  const publicPage = PUBLIC_PAGES.includes(path);
  if (!session || publicPage) {
    return (
      <Ctx.Provider value={context}>
        <header className="topbar">
          <span className="brand">{t('app.name')}</span>
          {languagePicker}
        </header>
        <main id="main" className="content narrow">
          {path === '/invitations/accept' ? (
            <AcceptInvitationPage />
          ) : path === '/password-reset' ? (
            <PasswordResetPage />
          ) : session === undefined ? (
            <Loading />
          ) : (
            <SignInPage
              onSignedIn={(value) => {
                setSession(value);
                const to = landingPath(value.user.role, path);
                if (to) navigate(to);
              }}
            />
          )}
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
            {(operator ? OPERATOR_NAV : NAV.filter((item) => can(item.permission))).map((item) => {
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
        {!operator && can('read') && (
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
        )}
        {languagePicker}
        <a
          href="/account"
          className="account-link"
          aria-current={path === '/account' ? 'page' : undefined}
          title={t('nav.account')}
          onClick={(event) => {
            if (event.metaKey || event.ctrlKey || event.shiftKey) return;
            event.preventDefault();
            navigate('/account');
          }}
        >
          {session.user.email}
        </a>
        <button
          type="button"
          className="link"
          onClick={() => {
            void endSession(false).catch(() => signOut());
          }}
        >
          {t('nav.signOut')}
        </button>
      </header>
      <main id="main" className="content" tabIndex={-1} ref={main}>
        {operator ? <OperatorPage path={path} /> : <Page path={path} />}
      </main>
    </Ctx.Provider>
  );
}
