import { useState } from 'react';

import type { SetInventoryResultView, StockPageView, StockView } from '@smartship/contracts';

import { query } from '../api';
import { useConsole } from '../context';
import { formatTime } from '../status';
import { ErrorBox, Loading, Notice, useAction, useLoad } from '../ui';
import { ShopDrift } from './stock-drift';

function StockRow({ stock, onSaved }: { stock: StockView; onSaved: (m: string) => void }) {
  const { api, lang, t, can } = useConsole();
  const [onHand, setOnHand] = useState(String(stock.onHand));
  const action = useAction();
  const inputId = `onhand-${stock.skuCode}`;
  return (
    <tr data-sku={stock.skuCode}>
      <td>
        <code>{stock.skuCode}</code>
      </td>
      <td className="num">{stock.onHand}</td>
      <td className="num">{stock.reserved}</td>
      <td className={`num ${stock.available < 0 ? 'bad' : ''}`}>{stock.available}</td>
      <td className={`num ${stock.waiting > 0 ? 'bad' : ''}`}>{stock.waiting}</td>
      <td className="small">{formatTime(lang, stock.updatedAt)}</td>
      <td>
        {can('fulfillment.write') && (
          <form
            className="row"
            onSubmit={(event) => {
              event.preventDefault();
              void action
                .run(() =>
                  api.json<SetInventoryResultView>(
                    'PUT',
                    `/inventory/${encodeURIComponent(stock.skuCode)}`,
                    { onHand: Number(onHand) },
                  ),
                )
                .then((answer) => {
                  if (answer) onSaved(t('inv.saved', { released: answer.released.length }));
                });
            }}
          >
            <label htmlFor={inputId} className="sr-only">
              {t('inv.setFor', { sku: stock.skuCode })}
            </label>
            <input
              id={inputId}
              type="number"
              min={0}
              className="narrow-input"
              value={onHand}
              onChange={(event) => setOnHand(event.target.value)}
            />
            <button type="submit" disabled={action.busy}>
              {t('inv.set')}
            </button>
          </form>
        )}
        <ErrorBox error={action.error} />
      </td>
    </tr>
  );
}

/** 재고: stock on hand per SKU, reserved, available, what held orders wait for; set on hand. */
export function InventoryPage() {
  const { api, t } = useConsole();
  const [prefix, setPrefix] = useState('');
  const [applied, setApplied] = useState('');
  const [shortOnly, setShortOnly] = useState(false);
  const [notice, setNotice] = useState('');
  const { data, error, loading, reload } = useLoad(
    () =>
      api.get<StockPageView>(
        `/inventory${query({ skuCode: applied, shortOnly: shortOnly || undefined, limit: 500 })}`,
      ),
    [applied, shortOnly],
  );
  return (
    <section aria-labelledby="inv-title">
      <h1 id="inv-title">{t('inv.title')}</h1>
      <form
        className="row"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          setApplied(prefix.trim());
        }}
      >
        <label htmlFor="inv-prefix">{t('inv.filter')}</label>
        <input id="inv-prefix" value={prefix} onChange={(event) => setPrefix(event.target.value)} />
        <label className="choice">
          <input
            type="checkbox"
            checked={shortOnly}
            onChange={(event) => setShortOnly(event.target.checked)}
          />
          {t('inv.shortOnly')}
        </label>
        <button type="submit">{t('common.search')}</button>
      </form>
      {notice && <Notice>{notice}</Notice>}
      <ErrorBox error={error} />
      {loading && !data && <Loading />}
      {data && data.items.length === 0 && <p className="empty">{t('common.empty')}</p>}
      {data && data.items.length > 0 && (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t('inv.col.sku')}</th>
              <th scope="col" className="num">
                {t('inv.col.onHand')}
              </th>
              <th scope="col" className="num">
                {t('inv.col.reserved')}
              </th>
              <th scope="col" className="num">
                {t('inv.col.available')}
              </th>
              <th scope="col" className="num">
                {t('inv.col.waiting')}
              </th>
              <th scope="col">{t('inv.col.updated')}</th>
              <th scope="col">{t('inv.set')}</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((stock) => (
              <StockRow
                key={stock.skuCode}
                stock={stock}
                onSaved={(message) => {
                  setNotice(message);
                  reload();
                }}
              />
            ))}
          </tbody>
        </table>
      )}
      <ShopDrift />
    </section>
  );
}
