import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

import { Api, storeToken, storedToken } from './api';
import { Ctx, translator } from './context';
import type { ConsoleContext } from './context';
import { LANGS, LANG_NAMES, isLang } from './i18n/messages';
import type { Lang, MessageKey } from './i18n/messages';
import { FulfillmentPage } from './pages/fulfillment-page';
import { InventoryPage } from './pages/inventory-page';
import { MappingPage } from './pages/mapping-page';
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
];

function initialLang(): Lang {
  const stored = localStorage.getItem(LANG_KEY);
  return isLang(stored) ? stored : 'ko';
}

function Page({ path }: { path: string }) {
  if (path === '/shops/new') return <ShopFormPage />;
  if (path.startsWith('/shops')) return <ShopsPage />;
  if (path.startsWith('/skus')) return <SkusPage />;
  if (path.startsWith('/mapping')) return <MappingPage />;
  if (path.startsWith('/orders')) {
    const number = decodeURIComponent(path.slice('/orders/'.length));
    return <OrdersPage orderNumber={path.startsWith('/orders/') ? number : null} />;
  }
  if (path.startsWith('/fulfillment')) return <FulfillmentPage />;
  if (path.startsWith('/inventory')) return <InventoryPage />;
  return <ShopsPage />;
}

/** The console: sign-in, then the seller's pages behind a navigation bar. */
export function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [token, setToken] = useState<string | null>(storedToken);
  const [path, setPath] = useState(window.location.pathname);
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

  const context = useMemo<ConsoleContext>(
    () => ({ lang, t: translator(lang), api: new Api(token), navigate, signOut }),
    [lang, token, navigate, signOut],
  );
  const t = context.t;

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
