import { useEffect, useState } from 'react';

import type { SkuSafetyStockView, SkuView } from '@smartship/contracts';
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

/**
 * A SKU's safety stock, under its edit form on SKU 관리: units of the SKU held back on every Rakuten
 * listing linked to it. Saving needs fulfillment.write (the stock permission); others see it.
 */
export function SkuSafetyStock({ sku }: { sku: Pick<SkuView, 'id' | 'code'> }) {
  const { api, lang, t, can } = useConsole();
  const path = `/skus/${encodeURIComponent(sku.id)}/safety-stock`;
  const current = useLoad(() => api.get<SkuSafetyStockView>(path), [sku.id]);
  const [value, setValue] = useState('');
  const [notice, setNotice] = useState('');
  const action = useAction();
  const editable = can('fulfillment.write');

  useEffect(() => {
    if (current.data) setValue(String(current.data.safetyStock));
  }, [current.data]);

  return (
    <form
      className="card"
      aria-labelledby="sku-safety-title"
      data-testid="sku-safety-stock"
      onSubmit={(event) => {
        event.preventDefault();
        setNotice('');
        void action
          .run(() =>
            api.json<SkuSafetyStockView>('PUT', path, {
              safetyStock: value.trim() === '' ? null : Number(value),
            }),
          )
          .then((answer) => {
            if (answer) {
              setNotice(t('sss.saved', { n: formatCount(lang, answer.republished ?? 0) }));
              current.reload();
            }
          });
      }}
    >
      <h2 id="sku-safety-title">{t('sss.title', { code: sku.code })}</h2>
      <ErrorBox error={current.error} />
      {current.loading && !current.data && <Loading />}
      {current.data && (
        <>
          <Field label={t('ss.safety.label')} help={t('sss.help')} required>
            {(props) => (
              <>
                <input
                  {...props}
                  {...invalidProps(action.error, 'safetyStock', props)}
                  name="skuSafetyStock"
                  type="number"
                  inputMode="numeric"
                  min={0}
                  max={MAX_SAFETY_STOCK}
                  step={1}
                  className="narrow-input"
                  disabled={!editable}
                  value={value}
                  onChange={(event) => setValue(event.target.value)}
                />{' '}
                <span className="muted">{t('ss.units')}</span>
                <FieldError error={action.error} field="safetyStock" id={`${props.id}-error`} />
              </>
            )}
          </Field>
          <ErrorBox error={action.error} inline={['safetyStock']} />
          {notice && !action.error && <Notice>{notice}</Notice>}
          <p className="small muted">
            {current.data.updatedAt
              ? t('fs.updatedAt', { at: formatTime(lang, current.data.updatedAt) })
              : t('ss.default')}
          </p>
          {editable && (
            <div className="actions">
              <button type="submit" disabled={action.busy}>
                {t('sss.save')}
              </button>
            </div>
          )}
        </>
      )}
    </form>
  );
}
