import type { OrderLine } from '@smartship/contracts';

import { evaluateOrder } from '../orders/order-evaluation';
import {
  CatalogIndex,
  type OptionRow,
  type RuleRow,
  type SkuRow,
  optionTextOf,
} from './catalog-index';

function sku(code: string, sellerCode: string | null, extra: Partial<SkuRow> = {}): SkuRow {
  return {
    id: code,
    code,
    name: `name ${code}`,
    sellerCode,
    components: null,
    hasOptions: false,
    ...extra,
  };
}
function option(
  code: string,
  sellerCode: string | null,
  extra: Partial<OptionRow> = {},
): OptionRow {
  return {
    id: code,
    code,
    name: `option ${code}`,
    sellerCode,
    variantId: null,
    components: null,
    ...extra,
  };
}
function rule(id: string, itemName: string, optionText: string, skuCode: string): RuleRow {
  return { id, itemName, optionText, skuCode };
}

/** A post-migration line (variantId set) unless overridden. */
function line(extra: Partial<OrderLine> = {}): OrderLine {
  return {
    itemDetailId: 1,
    itemNumber: 'tee-001',
    manageNumber: 'tee-001',
    itemName: 'Tシャツ',
    selectedChoice: 'ラッピング:希望しない',
    units: 2,
    unitPrice: 1200,
    variantId: 'sku-m-black',
    merchantDefinedSkuId: 'TEE001-M-BK',
    skuInfo: 'サイズ:M\nカラー:ブラック',
    ...extra,
  };
}
/** The same T-shirt before the shop's SKU migration (docs/rakuten-rms.md §4.6). */
function preMigration(extra: Partial<OrderLine> = {}): OrderLine {
  return line({
    itemNumber: 'tee-001mbk',
    selectedChoice: 'サイズ:M\nカラー:ブラック',
    variantId: undefined,
    merchantDefinedSkuId: undefined,
    skuInfo: undefined,
    ...extra,
  });
}

const TEE_OPTIONS = [
  option('TEE-M-BK', 'TEE001-M-BK', { variantId: 'sku-m-black' }),
  option('TEE-L-BK', 'tee-001lbk', { variantId: 'sku-l-black' }),
];
const TEE = sku('TEE', null, { hasOptions: true });

describe('matching an order line', () => {
  it('1a: after the migration, システム連携用SKU番号 equal to an option seller code', () => {
    const index = new CatalogIndex([TEE], TEE_OPTIONS, []);
    expect(index.match(line())).toMatchObject({
      mapped: true,
      resolution: {
        matchedBy: 'merchant_defined_sku_id',
        skus: [{ skuCode: 'TEE-M-BK', quantity: 2 }],
      },
    });
  });

  it('1b: then the variantId the seller linked to an option', () => {
    const index = new CatalogIndex([TEE], TEE_OPTIONS, []);
    const match = index.match(line({ merchantDefinedSkuId: null, variantId: 'sku-l-black' }));
    expect(match).toMatchObject({
      mapped: true,
      resolution: { matchedBy: 'variant_id', skus: [{ skuCode: 'TEE-L-BK' }] },
    });
  });

  it('1 before 1b: a seller-code match wins over a variantId linked to another option', () => {
    const index = new CatalogIndex([TEE], TEE_OPTIONS, []);
    const match = index.match(line({ variantId: 'sku-l-black' }));
    expect(match).toMatchObject({
      mapped: true,
      resolution: { matchedBy: 'merchant_defined_sku_id', skus: [{ skuCode: 'TEE-M-BK' }] },
    });
  });

  it('2: a single product by 商品番号, after the migration', () => {
    const index = new CatalogIndex([sku('MUG', 'mug-002')], [], []);
    const match = index.match(
      line({
        itemNumber: 'mug-002',
        manageNumber: 'mug-002',
        variantId: 'mug-002',
        merchantDefinedSkuId: 'MUG002',
        skuInfo: null,
      }),
    );
    expect(match).toMatchObject({
      mapped: true,
      resolution: { matchedBy: 'item_number', skus: [{ skuCode: 'MUG', quantity: 2 }] },
    });
  });

  it('2: a single product by 商品番号, before the migration', () => {
    const index = new CatalogIndex([sku('MUG', 'mug-002')], [], []);
    expect(index.match(preMigration({ itemNumber: 'mug-002', selectedChoice: '' }))).toMatchObject({
      mapped: true,
      resolution: { matchedBy: 'item_number' },
    });
  });

  it('1 before 2: an option seller-code match wins over a single SKU with the 商品番号', () => {
    const index = new CatalogIndex([TEE, sku('TEE-ANY', 'tee-001')], TEE_OPTIONS, []);
    expect(index.match(line())).toMatchObject({
      resolution: { matchedBy: 'merchant_defined_sku_id' },
    });
  });

  it('2 for a post-migration line whose システム連携用SKU番号 matches nothing', () => {
    const index = new CatalogIndex([TEE, sku('TEE-ANY', 'tee-001')], TEE_OPTIONS, []);
    const match = index.match(line({ merchantDefinedSkuId: 'OTHER', variantId: 'unlinked' }));
    expect(match).toMatchObject({
      mapped: true,
      resolution: { matchedBy: 'item_number', skus: [{ skuCode: 'TEE-ANY' }] },
    });
  });

  it('3: before the migration, 商品番号 + 横軸 + 縦軸 codes equal to an option seller code', () => {
    const index = new CatalogIndex([TEE], TEE_OPTIONS, []);
    expect(index.match(preMigration({ itemNumber: 'tee-001lbk' }))).toMatchObject({
      mapped: true,
      resolution: { matchedBy: 'option_code', skus: [{ skuCode: 'TEE-L-BK', quantity: 2 }] },
    });
  });

  it('3 is not used after the migration: there itemNumber is the 商品番号 only', () => {
    const index = new CatalogIndex([TEE], TEE_OPTIONS, []);
    const match = index.match(
      line({ itemNumber: 'tee-001lbk', merchantDefinedSkuId: null, variantId: 'x' }),
    );
    expect(match).toMatchObject({ mapped: false, reason: 'no_match' });
  });

  it('pre- and post-migration lines of one shop map to the same option', () => {
    const index = new CatalogIndex(
      [TEE],
      [option('TEE-M-BK', 'TEE001-M-BK'), option('TEE-M-BK-OLD', 'tee-001mbk')],
      [],
    );
    const order = {
      orderNumber: 'o',
      orderProgress: 300,
      orderedAt: '2025-03-01T10:00:00+09:00',
      orderer: {} as never,
      totals: {} as never,
      packages: [
        { basketId: 1, recipient: {} as never, lines: [line(), preMigration({ itemDetailId: 2 })] },
      ],
    } as never;
    const evaluation = evaluateOrder(order, index);
    expect(evaluation.complete).toBe(true);
    expect(evaluation.mapped.map((l) => [l.matchedBy, l.skus[0].skuCode])).toEqual([
      ['merchant_defined_sku_id', 'TEE-M-BK'],
      ['option_code', 'TEE-M-BK-OLD'],
    ]);
  });

  it('4: a name rule needs the item name and option text exactly, spaces and case included', () => {
    const index = new CatalogIndex(
      [sku('TEE-M', null)],
      [],
      [rule('r1', 'Tシャツ', 'サイズ:M\nカラー:ブラック', 'TEE-M')],
    );
    const plain = line({ merchantDefinedSkuId: null, variantId: 'v', itemNumber: 'x' });
    expect(index.match(plain)).toMatchObject({
      mapped: true,
      resolution: { matchedBy: 'name_rule', ruleId: 'r1' },
    });
    expect(index.match({ ...plain, itemName: 'Tシャツ ' })).toMatchObject({
      mapped: false,
      reason: 'no_match',
    });
    expect(index.match({ ...plain, skuInfo: 'サイズ:m\nカラー:ブラック' })).toMatchObject({
      mapped: false,
    });
  });

  it('4: before the migration the option text is 項目・選択肢 (selectedChoice)', () => {
    const l = preMigration({ itemNumber: 'nothing' });
    expect(optionTextOf(l)).toBe('サイズ:M\nカラー:ブラック');
    const index = new CatalogIndex(
      [sku('TEE-M', null)],
      [],
      [rule('r1', 'Tシャツ', 'サイズ:M\nカラー:ブラック', 'TEE-M')],
    );
    expect(index.match(l)).toMatchObject({ mapped: true, resolution: { matchedBy: 'name_rule' } });
  });

  it('a line with a seller-code match never falls to a name rule', () => {
    const index = new CatalogIndex([TEE, sku('OTHER', null)], TEE_OPTIONS, [
      rule('r1', 'Tシャツ', 'サイズ:M\nカラー:ブラック', 'OTHER'),
    ]);
    expect(index.match(line())).toMatchObject({
      resolution: { matchedBy: 'merchant_defined_sku_id', skus: [{ skuCode: 'TEE-M-BK' }] },
    });
  });

  it('two options with one seller code: ambiguous, both listed, nothing guessed', () => {
    const index = new CatalogIndex(
      [TEE],
      [option('A', 'TEE001-M-BK'), option('B', 'TEE001-M-BK')],
      [],
    );
    const match = index.match(line());
    expect(match).toMatchObject({ mapped: false, reason: 'ambiguous' });
    expect(match.mapped ? [] : match.candidates.map((c) => c.skuCode)).toEqual(['A', 'B']);
  });

  it('an ambiguous seller-code step does not fall through to later steps', () => {
    const index = new CatalogIndex(
      [sku('S1', 'mug'), sku('S2', 'mug')],
      [],
      [rule('r', 'Tシャツ', '', 'S1')],
    );
    const match = index.match(
      line({ itemNumber: 'mug', merchantDefinedSkuId: null, skuInfo: null }),
    );
    expect(match).toMatchObject({ mapped: false, reason: 'ambiguous' });
  });

  it('two rules with the same text and different SKUs: ambiguous', () => {
    const index = new CatalogIndex(
      [sku('S1', null), sku('S2', null)],
      [],
      [rule('r1', 'Tシャツ', '', 'S1'), rule('r2', 'Tシャツ', '', 'S2')],
    );
    const match = index.match(line({ merchantDefinedSkuId: null, skuInfo: null, itemNumber: 'z' }));
    expect(match).toMatchObject({ mapped: false, reason: 'ambiguous' });
  });

  it('a bundle ships line units × component quantities', () => {
    const index = new CatalogIndex(
      [
        sku('CUP', null),
        sku('SAUCER', null),
        sku('SET', 'set-01', {
          components: [
            { skuCode: 'CUP', quantity: 2 },
            { skuCode: 'SAUCER', quantity: 3 },
          ],
        }),
      ],
      [],
      [],
    );
    const match = index.match(line({ itemNumber: 'set-01', merchantDefinedSkuId: null, units: 4 }));
    expect(match).toMatchObject({
      mapped: true,
      resolution: {
        matchedBy: 'item_number',
        skus: [
          { skuCode: 'CUP', quantity: 8 },
          { skuCode: 'SAUCER', quantity: 12 },
        ],
      },
    });
  });

  it('a bundle option (set per variation) expands too', () => {
    const index = new CatalogIndex(
      [sku('SOCK', null), TEE],
      [option('SOCKS-3P', 'SOCKS-25', { components: [{ skuCode: 'SOCK', quantity: 3 }] })],
      [],
    );
    expect(index.match(line({ merchantDefinedSkuId: 'SOCKS-25', units: 2 }))).toMatchObject({
      resolution: { skus: [{ skuCode: 'SOCK', quantity: 6 }] },
    });
  });

  it('reports a bundle component that is not a stock code, and a rule without target', () => {
    const index = new CatalogIndex(
      [sku('SET', 'set', { components: [{ skuCode: 'NOPE', quantity: 1 }] })],
      [],
      [rule('r1', 'x', '', 'GONE')],
    );
    expect(index.problems.map((p) => [p.kind, p.ref])).toEqual([
      ['component', 'NOPE'],
      ['rule', 'GONE'],
    ]);
  });

  it('an unmapped line gets similar codes as candidates', () => {
    const index = new CatalogIndex(
      [TEE],
      [option('TEE-M-BK', 'tee001-m-bk'), option('TEE-L', 'tee-001lbk')],
      [],
    );
    const match = index.match(line());
    expect(match).toMatchObject({ mapped: false, reason: 'no_match' });
    expect(match.mapped ? [] : match.candidates.map((c) => c.skuCode)).toContain('TEE-M-BK');
  });

  it('an order with one unmapped line is not complete', () => {
    const index = new CatalogIndex([sku('MUG', 'mug-002')], [], []);
    const order = {
      packages: [
        {
          lines: [
            line({ itemNumber: 'mug-002', merchantDefinedSkuId: null }),
            line({ itemDetailId: 2 }),
          ],
        },
      ],
    } as never;
    const evaluation = evaluateOrder(order, index);
    expect(evaluation.complete).toBe(false);
    expect(evaluation.unmapped.map((l) => [l.itemDetailId, l.reason])).toEqual([[2, 'no_match']]);
  });
});
