import type { ShopView } from '@smartship/contracts';

import { useConsole } from '../context';
import { useLoad } from '../ui';

/** The tenant's shops that are not deleted, for a page that works on one shop at a time. */
export function useShops() {
  const { api } = useConsole();
  const shops = useLoad(() => api.get<{ items: ShopView[] }>('/shops'), []);
  const items = (shops.data?.items ?? []).filter((shop) => shop.status !== 'deleted');
  return { ...shops, items };
}

/** How a shop is named in pickers and headings. */
export function shopLabel(shop: Pick<ShopView, 'rakutenShopId'>): string {
  return `Rakuten · ${shop.rakutenShopId}`;
}

/** A shop picker (a labelled select); `value` is the chosen shop's id. */
export function ShopSelect({
  id,
  shops,
  value,
  onChange,
}: {
  id: string;
  shops: ShopView[];
  value: string;
  onChange: (shopId: string) => void;
}) {
  const { t } = useConsole();
  return (
    <>
      <label htmlFor={id}>{t('lst.shop')}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        {shops.map((shop) => (
          <option key={shop.id} value={shop.id}>
            {shopLabel(shop)}
          </option>
        ))}
      </select>
    </>
  );
}
