/* eslint-disable @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return --
   wire bodies are untyped JSON here; the assertions check their shape. */
import { simKit, SHOP, type WireBody } from './sim-test-kit';

/* items.search cursorMark paging and the generated catalog (docs/rakuten-rms.md §5.2). */

function pageAll(kit: ReturnType<typeof simKit>, query: string, hits = 100) {
  const seen: string[] = [];
  let cursor = '*';
  let calls = 0;
  for (;;) {
    const response = kit.call(
      'GET',
      `/es/2.0/items/search?hits=${hits}&cursorMark=${encodeURIComponent(cursor)}${query}`,
    );
    expect(response.status).toBe(200);
    calls++;
    const body: WireBody = response.body;
    seen.push(...body.results.map((r: WireBody) => r.item.manageNumber));
    if (!body.nextCursorMark) return { seen, calls, numFound: body.numFound };
    cursor = body.nextCursorMark;
  }
}

describe('items.search with cursorMark', () => {
  it('pages a 50,000-item shop in 500 calls of 100, every item once, in a stable order, fast', () => {
    const kit = simKit();
    const started = Date.now();
    const created = kit.sim.store.generateCatalog(SHOP.shopId, { count: 50_000 }) as {
      items: number;
    };
    expect(created.items).toBe(50_000);
    const { seen, calls, numFound } = pageAll(kit, '');
    const elapsed = Date.now() - started;
    expect(numFound).toBe(50_000);
    expect(calls).toBe(500);
    expect(new Set(seen).size).toBe(50_000);
    expect([...seen].sort()).toEqual(seen);
    expect(elapsed).toBeLessThan(15_000);
  });

  it('defaults to 10 hits, refuses 0 and 101, and omits nextCursorMark on the last page', () => {
    const kit = simKit();
    kit.sim.store.generateCatalog(SHOP.shopId, { count: 25 });
    const first = kit.call('GET', '/es/2.0/items/search?cursorMark=*').body;
    expect(first.results).toHaveLength(10);
    expect(first.numFound).toBe(25);
    expect(first.nextCursorMark).toEqual(expect.any(String));
    expect(kit.call('GET', '/es/2.0/items/search?hits=0').status).toBe(400);
    expect(kit.call('GET', '/es/2.0/items/search?hits=101').body.errors[0].metadata).toEqual({
      propertyPath: 'hits',
    });
    const last = kit.call('GET', '/es/2.0/items/search?hits=100&cursorMark=*').body;
    expect(last.results).toHaveLength(25);
    expect(last.nextCursorMark).toBeUndefined();
  });

  it('neither repeats nor skips existing items when items are added during paging', () => {
    const kit = simKit();
    kit.sim.store.generateCatalog(SHOP.shopId, { count: 30 });
    const first = kit.call('GET', '/es/2.0/items/search?hits=10&cursorMark=*').body;
    kit.sim.store.putCatalog(SHOP.shopId, [
      ...(kit.sim.store.catalog(SHOP.shopId) as { manageNumber: string; title: string }[]).map(
        (i) => ({ manageNumber: i.manageNumber, title: i.title, kind: 'single' as const }),
      ),
      { manageNumber: 'aaa-first', title: 'new, sorts first', kind: 'single' },
    ]);
    const cursor = encodeURIComponent(first.nextCursorMark);
    const second = kit.call('GET', `/es/2.0/items/search?hits=10&cursorMark=${cursor}`).body;
    expect(second.results[0].item.manageNumber).toBe('item-000011');
  });

  it('refuses a cursor issued for other filters, a garbled cursor, and offset with a cursor', () => {
    const kit = simKit();
    kit.sim.store.generateCatalog(SHOP.shopId, { count: 30 });
    const first = kit.call('GET', '/es/2.0/items/search?hits=5&cursorMark=*').body;
    const cursor = encodeURIComponent(first.nextCursorMark);
    expect(kit.call('GET', `/es/2.0/items/search?hits=5&cursorMark=${cursor}&title=x`).status).toBe(
      400,
    );
    expect(kit.call('GET', '/es/2.0/items/search?cursorMark=garbage').status).toBe(400);
    expect(kit.call('GET', '/es/2.0/items/search?cursorMark=*&offset=5').status).toBe(400);
  });

  it('filters by manageNumber (any case) and merchantDefinedSkuId', () => {
    const kit = simKit();
    kit.sim.store.generateCatalog(SHOP.shopId, { count: 100, merchantSkuShare: 1 });
    const byManage = kit.call('GET', '/es/2.0/items/search?manageNumber=ITEM-000042').body;
    expect(byManage.results.map((r: WireBody) => r.item.manageNumber)).toEqual(['item-000042']);
    const item = byManage.results[0].item;
    const mdsi = Object.values(item.variants as Record<string, WireBody>)[0].merchantDefinedSkuId;
    const bySku = kit.call(
      'GET',
      `/es/2.0/items/search?merchantDefinedSkuId=${encodeURIComponent(mdsi)}&cursorMark=*`,
    ).body;
    expect(bySku.numFound).toBe(1);
    expect(bySku.results[0].item.manageNumber).toBe('item-000042');
  });

  it('serves pre-migration items as migrated variants with 商品番号 + child codes, and hidden flags', () => {
    const kit = simKit();
    kit.sim.store.putCatalog(SHOP.shopId, [
      {
        manageNumber: 'towel-003',
        title: '今治タオル',
        kind: 'legacy',
        horizontal: { name: 'カラー', choices: [{ code: 'w', label: 'ホワイト' }] },
        vertical: {
          name: 'サイズ',
          choices: [
            { code: 'f', label: 'フェイス' },
            { code: 'b', label: 'バス' },
          ],
        },
      },
      {
        manageNumber: 'tee',
        title: 'T',
        kind: 'variants',
        variants: [
          { variantId: 'tee-s', merchantDefinedSkuId: 'TEE-S', selectorValues: { サイズ: 'S' } },
          { variantId: 'tee-m', selectorValues: { サイズ: 'M' }, hidden: true },
        ],
      },
    ]);
    const towel = kit.call('GET', '/es/2.0/items/manage-numbers/towel-003').body;
    expect(towel.variants['legacy-wf']).toMatchObject({
      merchantDefinedSkuId: 'towel-003wf',
      selectorValues: { カラー: 'ホワイト', サイズ: 'フェイス' },
    });
    expect(Object.keys(towel.variants)).toHaveLength(2);
    const tee = kit.call('GET', '/es/2.0/items/manage-numbers/tee').body;
    expect(tee.variants['tee-m'].hidden).toBe(true);
    expect(tee.variants['tee-s'].hidden).toBe(false);
  });

  it('counts against the item rate limit and is in the call log', () => {
    const kit = simKit({ rateLimits: { item: 2 } });
    kit.sim.store.generateCatalog(SHOP.shopId, { count: 5 });
    const statuses = [1, 2, 3].map(
      () => kit.call('GET', '/es/2.0/items/search?cursorMark=*').status,
    );
    expect(statuses).toEqual([200, 200, 429]);
    const calls = kit.sim.getCalls({ function: 'itemSearch' });
    expect(calls.length).toBeGreaterThanOrEqual(3);
  });
});
