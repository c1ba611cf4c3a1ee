import { useEffect, useState } from 'react';

import type { ShopStockSettingsView, ShopView } from '@smartship/contracts';
import { MAX_SAFETY_STOCK } from '@smartship/contracts/constants';

import { useConsole } from '../context';
import { formatCount } from '../listings';
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
import { shopLabel } from './shop-picker';
import { DriftPanel } from './stock-drift';

/**
 * A shop's stock sync (재고 연동 설정), reached from 쇼핑몰 API 설정 like the shipping settings: the
 * shop's safety stock held back on every listing, and the read-back of Rakuten's stock (drift).
 */
export function StockSettingsPage({ shopId }: { shopId: string }) {
  const { api, lang, t, navigate, can } = useConsole();
  const path = `/shops/${encodeURIComponent(shopId)}`;
  const shop = useLoad(() => api.get<ShopView>(path), [shopId]);
  const settings = useLoad(
    () => api.get<ShopStockSettingsView>(`${path}/stock-settings`),
    [shopId],
  );
  const [safetyStock, setSafetyStock] = useState('');
  const [notice, setNotice] = useState('');
  const action = useAction();

  useEffect(() => {
    if (settings.data) setSafetyStock(String(settings.data.safetyStock));
  }, [settings.data]);

  const editable = can('shops.settings');
  return (
    <section aria-labelledby="ss-title">
      <div className="page-head">
        <h1 id="ss-title">
          {t('ss.title')} {shop.data && <span className="muted small">{shopLabel(shop.data)}</span>}
        </h1>
        <button type="button" onClick={() => navigate('/shops')}>
          {t('fs.back')}
        </button>
      </div>
      <ErrorBox error={shop.error ?? settings.error} />
      {settings.loading && !settings.data && <Loading />}
      {settings.data && (
        <form
          className="card"
          aria-labelledby="ss-safety"
          onSubmit={(event) => {
            event.preventDefault();
            setNotice('');
            void action
              .run(() =>
                api.json<ShopStockSettingsView>('PUT', `${path}/stock-settings`, {
                  // Checking is left to the API: a blank or a fraction comes back naming the field.
                  safetyStock: safetyStock.trim() === '' ? null : Number(safetyStock),
                }),
              )
              .then((answer) => {
                if (answer) {
                  setNotice(t('ss.saved', { n: formatCount(lang, answer.republished ?? 0) }));
                  settings.reload();
                }
              });
          }}
        >
          <h2 id="ss-safety">{t('ss.safety')}</h2>
          <Field label={t('ss.safety.label')} help={t('ss.safety.help')} required>
            {(props) => (
              <>
                <input
                  {...props}
                  {...invalidProps(action.error, 'safetyStock', props)}
                  name="safetyStock"
                  type="number"
                  inputMode="numeric"
                  min={0}
                  max={MAX_SAFETY_STOCK}
                  step={1}
                  className="narrow-input"
                  disabled={!editable}
                  value={safetyStock}
                  onChange={(event) => setSafetyStock(event.target.value)}
                />{' '}
                <span className="muted">{t('ss.units')}</span>
                <FieldError error={action.error} field="safetyStock" id={`${props.id}-error`} />
              </>
            )}
          </Field>
          <p className="help">{t('ss.rule')}</p>
          <ErrorBox error={action.error} inline={['safetyStock']} />
          {notice && !action.error && <Notice>{notice}</Notice>}
          <p className="small muted">
            {settings.data.updatedAt
              ? t('fs.updatedAt', { at: formatTime(lang, settings.data.updatedAt) })
              : t('ss.default')}
          </p>
          {editable && (
            <div className="actions">
              <button type="submit" className="primary" disabled={action.busy}>
                {t('common.save')}
              </button>
            </div>
          )}
        </form>
      )}
      <DriftPanel shopId={shopId} />
    </section>
  );
}
