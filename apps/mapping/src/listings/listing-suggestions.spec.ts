import { CatalogIndex } from '../matching/catalog-index';
import { suggestListing } from './listing-suggestions';

const index = new CatalogIndex(
  [
    {
      id: 's1',
      code: 'MUG',
      name: 'Mug',
      sellerCode: 'mug-002',
      components: null,
      hasOptions: false,
    },
    { id: 's2', code: 'TEE', name: 'Tee', sellerCode: null, components: null, hasOptions: true },
    {
      id: 's3',
      code: 'TOWEL',
      name: 'Towel',
      sellerCode: null,
      components: null,
      hasOptions: true,
    },
    {
      id: 's4',
      code: 'SET',
      name: 'Set',
      sellerCode: 'set-9',
      hasOptions: false,
      components: [{ skuCode: 'MUG', quantity: 2 }],
    },
  ],
  [
    {
      id: 'o1',
      code: 'TEE-M',
      name: 'Tee M',
      sellerCode: 'TEE001-M',
      variantId: null,
      components: null,
    },
    {
      id: 'o2',
      code: 'TEE-L',
      name: 'Tee L',
      sellerCode: null,
      variantId: 'tee-001-l',
      components: null,
    },
    {
      id: 'o3',
      code: 'TOWEL-WF',
      name: 'Towel',
      sellerCode: 'towel-003wf',
      variantId: null,
      components: null,
    },
    { id: 'o4', code: 'DUP-A', name: 'A', sellerCode: 'DUP', variantId: null, components: null },
    { id: 'o5', code: 'DUP-B', name: 'B', sellerCode: 'DUP', variantId: null, components: null },
  ],
  [],
);
const tee = { manageNumber: 'tee-001', itemNumber: 'tee-001', title: 'Tシャツ' };

describe('suggestListing (the order-line matching index, asked about a listing)', () => {
  it('variant システム連携用SKU番号 = an option seller code', () => {
    expect(
      suggestListing(index, tee, {
        variantId: 'tee-001-m',
        merchantDefinedSkuId: 'TEE001-M',
        selectorText: 'サイズ:M',
      }),
    ).toEqual({ links: [{ skuCode: 'TEE-M', perUnit: 1 }], by: 'merchant_defined_sku_id' });
  });

  it('variantId linked on an option', () => {
    expect(
      suggestListing(index, tee, {
        variantId: 'tee-001-l',
        merchantDefinedSkuId: null,
        selectorText: '',
      })?.by,
    ).toBe('variant_id');
  });

  it('商品番号 = a single SKU seller code; a bundle suggests its components per unit', () => {
    const mug = { manageNumber: 'mug-002', itemNumber: 'mug-002', title: 'Mug' };
    expect(
      suggestListing(index, mug, {
        variantId: 'mug-002',
        merchantDefinedSkuId: null,
        selectorText: '',
      }),
    ).toEqual({
      links: [{ skuCode: 'MUG', perUnit: 1 }],
      by: 'item_number',
    });
    const set = { manageNumber: 'set-9', itemNumber: 'set-9', title: 'Set' };
    expect(
      suggestListing(index, set, {
        variantId: 'set-9',
        merchantDefinedSkuId: null,
        selectorText: '',
      })?.links,
    ).toEqual([{ skuCode: 'MUG', perUnit: 2 }]);
  });

  it('pre-migration code carried into システム連携用SKU番号 = an option seller code', () => {
    const towel = { manageNumber: 'towel-003', itemNumber: 'towel-003', title: 'Towel' };
    expect(
      suggestListing(index, towel, {
        variantId: 'legacy-wf',
        merchantDefinedSkuId: 'towel-003wf',
        selectorText: 'カラー:ホワイト',
      }),
    ).toEqual({ links: [{ skuCode: 'TOWEL-WF', perUnit: 1 }], by: 'merchant_defined_sku_id' });
  });

  it('no suggestion when nothing matches or two options share the code', () => {
    expect(
      suggestListing(index, tee, {
        variantId: 'x',
        merchantDefinedSkuId: 'NOPE',
        selectorText: '',
      }),
    ).toBeNull();
    expect(
      suggestListing(index, tee, { variantId: 'x', merchantDefinedSkuId: 'DUP', selectorText: '' }),
    ).toBeNull();
  });
});
