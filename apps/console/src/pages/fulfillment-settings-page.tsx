import { useEffect, useState } from 'react';

import type { ShopFulfillmentSettingsView, ShopView, SplitPolicy } from '@smartship/contracts';

import { useConsole } from '../context';
import {
  EMPTY_SENDER,
  SPLIT_POLICY_OPTIONS,
  senderForm,
  settingsBody,
  type SenderForm,
} from '../fulfillment-details';
import { formatTime } from '../status';
import {
  ErrorBox,
  Field,
  FieldError,
  Loading,
  Notice,
  invalidProps,
  useAction,
  useLoad,
} from '../ui';

const SENDER_FIELDS: { name: keyof SenderForm; required?: boolean; autoComplete?: string }[] = [
  { name: 'name', required: true, autoComplete: 'organization' },
  { name: 'zipCode', autoComplete: 'postal-code' },
  { name: 'prefecture', autoComplete: 'address-level1' },
  { name: 'city', autoComplete: 'address-level2' },
  { name: 'subAddress', autoComplete: 'address-line1' },
  { name: 'phone', autoComplete: 'tel' },
];

/**
 * A shop's fulfillment settings (출하·납품서 설정): what happens to a package when only some of its
 * lines have stock, and the sender block the packing slip and the label print.
 */
export function FulfillmentSettingsPage({ shopId }: { shopId: string }) {
  const { api, lang, t, navigate, can } = useConsole();
  const shop = useLoad(() => api.get<ShopView>(`/shops/${encodeURIComponent(shopId)}`), [shopId]);
  const settings = useLoad(
    () =>
      api.get<ShopFulfillmentSettingsView>(
        `/shops/${encodeURIComponent(shopId)}/fulfillment-settings`,
      ),
    [shopId],
  );
  const [policy, setPolicy] = useState<SplitPolicy>('hold');
  const [useSender, setUseSender] = useState(false);
  const [form, setForm] = useState<SenderForm>({ ...EMPTY_SENDER });
  const [notice, setNotice] = useState('');
  const action = useAction();

  useEffect(() => {
    if (!settings.data) return;
    setPolicy(settings.data.splitPolicy);
    setUseSender(settings.data.sender !== null);
    setForm(senderForm(settings.data.sender));
  }, [settings.data]);

  const set = (name: keyof SenderForm) => (event: { target: { value: string } }) =>
    setForm({ ...form, [name]: event.target.value });
  const shopName = shop.data ? `Rakuten · ${shop.data.rakutenShopId}` : '';

  return (
    <section aria-labelledby="fs-title">
      <div className="page-head">
        <h1 id="fs-title">
          {t('fs.title')} {shopName && <span className="muted small">{shopName}</span>}
        </h1>
        <button type="button" onClick={() => navigate('/shops')}>
          {t('fs.back')}
        </button>
      </div>
      <ErrorBox error={shop.error ?? settings.error} />
      {settings.loading && !settings.data && <Loading />}
      {settings.data && (
        <form
          aria-labelledby="fs-title"
          onSubmit={(event) => {
            event.preventDefault();
            setNotice('');
            void action
              .run(() =>
                api.json<ShopFulfillmentSettingsView>(
                  'PUT',
                  `/shops/${encodeURIComponent(shopId)}/fulfillment-settings`,
                  settingsBody(policy, useSender, form),
                ),
              )
              .then((answer) => {
                if (answer) {
                  setNotice(t('fs.saved'));
                  settings.reload();
                }
              });
          }}
        >
          <fieldset className="card">
            <legend>{t('fs.split')}</legend>
            <p className="help">{t('fs.split.help')}</p>
            {SPLIT_POLICY_OPTIONS.map((value) => (
              <div className="radio" key={value}>
                <input
                  type="radio"
                  id={`fs-policy-${value}`}
                  name="splitPolicy"
                  value={value}
                  checked={policy === value}
                  aria-describedby={`fs-policy-${value}-help`}
                  onChange={() => setPolicy(value)}
                />
                <label htmlFor={`fs-policy-${value}`}>{t(`fs.split.${value}`)}</label>
                <p className="help" id={`fs-policy-${value}-help`}>
                  {t(`fs.split.${value}.help`)}
                </p>
              </div>
            ))}
            <p className="help">{t('fs.split.cod')}</p>
            <FieldError error={action.error} field="splitPolicy" />
          </fieldset>

          <fieldset className="card">
            <legend>{t('fs.sender')}</legend>
            <p className="help">{t('fs.sender.help')}</p>
            <div className="radio">
              <input
                type="radio"
                id="fs-sender-orderer"
                name="useSender"
                checked={!useSender}
                onChange={() => setUseSender(false)}
              />
              <label htmlFor="fs-sender-orderer">{t('fs.sender.orderer')}</label>
            </div>
            <div className="radio">
              <input
                type="radio"
                id="fs-sender-shop"
                name="useSender"
                checked={useSender}
                onChange={() => setUseSender(true)}
              />
              <label htmlFor="fs-sender-shop">{t('fs.sender.shop')}</label>
            </div>
            {useSender && (
              <>
                <div className="grid-3">
                  {SENDER_FIELDS.map(({ name, required, autoComplete }) => (
                    <Field
                      key={name}
                      label={name === 'name' ? t('fs.senderName') : t(`field.${name}`)}
                      help={t(`fs.help.${name}`)}
                      required={required}
                    >
                      {(props) => (
                        <>
                          <input
                            {...props}
                            {...invalidProps(action.error, `sender.${name}`, props)}
                            name={name}
                            autoComplete={autoComplete}
                            value={form[name]}
                            onChange={set(name)}
                          />
                          <FieldError
                            error={action.error}
                            field={`sender.${name}`}
                            id={`${props.id}-error`}
                          />
                        </>
                      )}
                    </Field>
                  ))}
                </div>
                <Field label={t('field.message')} help={t('fs.help.message')}>
                  {(props) => (
                    <>
                      <textarea
                        {...props}
                        {...invalidProps(action.error, 'sender.message', props)}
                        name="message"
                        rows={3}
                        maxLength={500}
                        value={form.message}
                        onChange={set('message')}
                      />
                      <span className="small muted">{form.message.length} / 500</span>
                      <FieldError
                        error={action.error}
                        field="sender.message"
                        id={`${props.id}-error`}
                      />
                    </>
                  )}
                </Field>
              </>
            )}
          </fieldset>
          <ErrorBox
            error={action.error}
            inline={[...SENDER_FIELDS.map(({ name }) => `sender.${name}`), 'sender.message']}
          />
          {notice && !action.error && <Notice>{notice}</Notice>}
          <p className="small muted">
            {settings.data.updatedAt
              ? t('fs.updatedAt', { at: formatTime(lang, settings.data.updatedAt) })
              : t('fs.defaults')}
          </p>
          {can('fulfillment.write') && (
            <div className="actions">
              <button type="submit" className="primary" disabled={action.busy}>
                {t('common.save')}
              </button>
            </div>
          )}
        </form>
      )}
    </section>
  );
}
