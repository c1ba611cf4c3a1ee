import { useRef, useState } from 'react';

import type { ShopWithTestView } from '@smartship/contracts';

import { useConsole } from '../context';
import { ErrorBox, Field, Notice, Switch, useAction } from '../ui';
import { TestResult } from './shops-page';

type Options = {
  autoOrderSync: boolean;
  autoOrderConfirm: boolean;
  autoFulfillmentDispatch: boolean;
};
const OPTION_NAMES = ['autoOrderSync', 'autoOrderConfirm', 'autoFulfillmentDispatch'] as const;

/**
 * [+신규등록] → Rakuten → 쇼핑몰 연동 등록: the guide's fields with their help, the three option
 * switches, and the connection test that runs at once on registration.
 */
export function ShopFormPage() {
  const { api, t, navigate, can } = useConsole();
  const [marketplace, setMarketplace] = useState<'rakuten' | ''>('');
  const [shopId, setShopId] = useState('');
  const [shopUrl, setShopUrl] = useState('');
  const [serviceSecret, setServiceSecret] = useState('');
  const [licenseKey, setLicenseKey] = useState('');
  const [options, setOptions] = useState<Options>({
    autoOrderSync: true,
    autoOrderConfirm: false,
    autoFulfillmentDispatch: false,
  });
  const [registered, setRegistered] = useState<ShopWithTestView | null>(null);
  const action = useAction();
  const form = useRef<HTMLFormElement>(null);

  const submit = async () => {
    const answer = await action.run(() =>
      api.json<ShopWithTestView>('POST', '/shops/rakuten', {
        shopId,
        shopUrl,
        serviceSecret,
        licenseKey,
        options,
      }),
    );
    if (answer) setRegistered(answer);
    else {
      // Focus the first field the gateway named, so the seller lands where the fix goes.
      requestAnimationFrame(() => {
        const first = form.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
        first?.focus();
      });
    }
  };

  const invalid = (field: string) =>
    Array.isArray(action.error?.details) &&
    (action.error.details as { field?: string }[]).some((d) => d.field === field);
  if (!can('shops.keys')) {
    return <ErrorBox error={{ statusCode: 403, code: 'ROLE_FORBIDDEN', message: '' }} />;
  }

  return (
    <section aria-labelledby="new-shop-title">
      <div className="page-head">
        <h1 id="new-shop-title">{t('form.newTitle')}</h1>
        <button type="button" onClick={() => navigate('/shops')}>
          {t('common.cancel')}
        </button>
      </div>
      <fieldset className="card marketplaces">
        <legend>{t('form.marketplace')}</legend>
        <label className="choice">
          <input
            type="radio"
            name="marketplace"
            value="rakuten"
            checked={marketplace === 'rakuten'}
            onChange={() => setMarketplace('rakuten')}
          />
          {t('form.rakuten')}
        </label>
      </fieldset>

      {marketplace === 'rakuten' && (
        <div className="two-col">
          <form
            ref={form}
            className="card"
            aria-labelledby="rakuten-form-title"
            onSubmit={(event) => {
              event.preventDefault();
              void submit();
            }}
          >
            <h2 id="rakuten-form-title">Rakuten · {t('form.newTitle')}</h2>
            <Field label={t('form.shopId')} help={t('form.shopId.help')} required>
              {(props) => (
                <input
                  {...props}
                  name="shopId"
                  autoComplete="off"
                  spellCheck={false}
                  placeholder="abcd14231499"
                  aria-invalid={invalid('shopId')}
                  value={shopId}
                  onChange={(event) => setShopId(event.target.value)}
                />
              )}
            </Field>
            <Field label={t('form.shopUrl')} help={t('form.shopUrl.help')} required>
              {(props) => (
                <input
                  {...props}
                  name="shopUrl"
                  type="url"
                  inputMode="url"
                  autoComplete="off"
                  spellCheck={false}
                  placeholder="https://www.rakuten.ne.jp/abcd14231499"
                  aria-invalid={invalid('shopUrl')}
                  value={shopUrl}
                  onChange={(event) => setShopUrl(event.target.value)}
                />
              )}
            </Field>
            <Field label={t('form.serviceSecret')} help={t('form.serviceSecret.help')} required>
              {(props) => (
                <input
                  {...props}
                  name="serviceSecret"
                  type="password"
                  autoComplete="off"
                  aria-invalid={invalid('serviceSecret')}
                  value={serviceSecret}
                  onChange={(event) => setServiceSecret(event.target.value)}
                />
              )}
            </Field>
            <Field label={t('form.licenseKey')} help={t('form.licenseKey.help')} required>
              {(props) => (
                <input
                  {...props}
                  name="licenseKey"
                  type="password"
                  autoComplete="off"
                  aria-invalid={invalid('licenseKey')}
                  value={licenseKey}
                  onChange={(event) => setLicenseKey(event.target.value)}
                />
              )}
            </Field>
            <fieldset className="options">
              <legend>{t('form.options')}</legend>
              {OPTION_NAMES.map((name) => (
                <Switch
                  key={name}
                  label={t(`form.${name}`)}
                  help={t(`form.${name}.help`)}
                  checked={options[name]}
                  onChange={(value) => setOptions({ ...options, [name]: value })}
                />
              ))}
            </fieldset>
            <ErrorBox error={action.error} />
            {registered ? (
              <div>
                <Notice>{t('form.registered')}</Notice>
                <TestResult test={registered.connectionTest} />
                <button type="button" className="primary" onClick={() => navigate('/shops')}>
                  {t('nav.shops')}
                </button>
              </div>
            ) : (
              <button type="submit" className="primary" disabled={action.busy}>
                {action.busy ? t('form.submitting') : t('form.submit')}
              </button>
            )}
          </form>
          <aside className="card guide" aria-labelledby="guide-title">
            <h2 id="guide-title">{t('form.guideTitle')}</h2>
            <ol>
              <li>{t('form.guide1')}</li>
              <li>{t('form.guide2')}</li>
              <li>{t('form.guide3')}</li>
            </ol>
            <p className="help">{t('form.licenseKey.help')}</p>
          </aside>
        </div>
      )}
    </section>
  );
}
