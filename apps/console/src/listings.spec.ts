import { LISTING_STATES } from '@smartship/contracts';

import { localizeError } from './i18n/errors';
import { LANGS } from './i18n/messages';
import {
  LISTING_STATE_CHOICES,
  driftRepaired,
  driftSummary,
  formatLinks,
  importActive,
  importProgress,
  linkInput,
  listingSkus,
  listingStateBadge,
  rakutenQuantityText,
  variantLabel,
} from './listings';

const LISTING = {
  shopId: '7a1b7d2e-0000-4000-8000-000000000001',
  manageNumber: 'tee-001',
  variantKey: 'tee-001-s',
  variantId: 'tee-001-s',
};

describe('listing states', () => {
  it('are exactly the states the platform answers', () => {
    expect([...LISTING_STATE_CHOICES].sort()).toEqual([...LISTING_STATES].sort());
  });

  it('each have a distinct word in every language and a colour', () => {
    for (const lang of LANGS) {
      const words = LISTING_STATE_CHOICES.map((state) => listingStateBadge(lang, state).text);
      expect(new Set(words).size).toBe(LISTING_STATE_CHOICES.length);
    }
    expect(listingStateBadge('ko', 'linked')).toEqual({ text: '연결됨', tone: 'ok' });
    expect(listingStateBadge('ja', 'suggested')).toEqual({ text: '紐付け候補あり', tone: 'info' });
    expect(listingStateBadge('en', 'unlinked')).toEqual({ text: 'Not linked', tone: 'warn' });
    expect(listingStateBadge('ko', 'hidden').tone).toBe('muted');
  });

  it('shows a state it does not know yet as the API sent it', () => {
    expect(listingStateBadge('ko', 'archived')).toEqual({ text: 'archived', tone: 'muted' });
  });
});

describe('a listing row', () => {
  it('shows the linked SKUs, else the suggestion, with the units when not one', () => {
    expect(formatLinks([{ skuCode: 'TEE-BK-M', perUnit: 1 }])).toBe('TEE-BK-M');
    expect(
      formatLinks([
        { skuCode: 'MUG', perUnit: 2 },
        { skuCode: 'BOX', perUnit: 1 },
      ]),
    ).toBe('MUG ×2, BOX');
    expect(formatLinks(null)).toBe('—');
    expect(
      listingSkus({
        links: [{ skuCode: 'TEE', perUnit: 1 }],
        suggestion: { links: [{ skuCode: 'OTHER', perUnit: 1 }], by: 'seller_code' },
      }),
    ).toEqual({ kind: 'linked', text: 'TEE' });
    expect(
      listingSkus({
        links: null,
        suggestion: { links: [{ skuCode: 'MUG', perUnit: 3 }], by: 'x' },
      }),
    ).toEqual({ kind: 'suggested', text: 'MUG ×3' });
    expect(listingSkus({ links: [], suggestion: null })).toEqual({ kind: 'none', text: '—' });
  });

  it('names the variant, or none for a listing from before the SKU migration', () => {
    expect(variantLabel(LISTING)).toBe('tee-001-s');
    expect(variantLabel({ variantId: null, variantKey: 'item:tee-001' })).toBe('—');
  });

  it('links by the listing key: to a typed SKU code (trimmed), or to its suggestion', () => {
    expect(linkInput(LISTING)).toEqual({
      shopId: LISTING.shopId,
      manageNumber: 'tee-001',
      variantId: 'tee-001-s',
    });
    expect(linkInput({ ...LISTING, variantKey: 'item:tee-001' }, '  MUG ')).toEqual({
      shopId: LISTING.shopId,
      manageNumber: 'tee-001',
      variantId: 'item:tee-001',
      skuCode: 'MUG',
    });
  });
});

describe('import progress', () => {
  it('counts against what Rakuten reported, once it reported it', () => {
    expect(
      importProgress('ko', { state: 'running', items: 1200, numFound: 5000, pages: 12 }),
    ).toEqual({ text: '가져오는 중: 전체 5,000개 중 1,200개 (24%)', percent: 24 });
    expect(
      importProgress('ja', { state: 'running', items: 300, numFound: null, pages: 3 }),
    ).toEqual({ text: '取り込み中：300商品（3ページ）', percent: null });
    expect(
      importProgress('en', { state: 'finished', items: 4990, numFound: 5000, pages: 50 }),
    ).toEqual({ text: 'Import finished: 4,990 of 5,000 items', percent: 100 });
    expect(importProgress('ko', { state: 'never', items: 0, numFound: null, pages: 0 }).text).toBe(
      '아직 가져온 적이 없습니다.',
    );
    expect(importProgress('en', { state: 'failed', items: 100, numFound: 0, pages: 1 }).text).toBe(
      'Import failed after 100 items',
    );
  });

  it('keeps asking only while the import is queued or running', () => {
    expect(importActive({ state: 'queued' })).toBe(true);
    expect(importActive({ state: 'running' })).toBe(true);
    expect(importActive({ state: 'finished' })).toBe(false);
    expect(importActive(null)).toBe(false);
  });
});

describe('stock drift', () => {
  const check = { finishedAt: '2026-03-01T03:00:00Z', listings: 1200, differences: 0, error: null };

  it('sums the last check up, with its tone', () => {
    expect(driftSummary('ko', null)).toBeNull();
    expect(driftSummary('ko', check)).toEqual({
      text: '상품 1,200개를 비교했고 차이가 없습니다.',
      tone: 'ok',
    });
    expect(driftSummary('ja', { ...check, differences: 3 })).toEqual({
      text: '1,200商品中3商品の在庫数が異なっていました。',
      tone: 'warn',
    });
    expect(
      driftSummary('en', { ...check, error: { code: 'RAKUTEN_5XX', message: 'busy' } })?.tone,
    ).toBe('bad');
    expect(driftSummary('en', { ...check, finishedAt: null })?.text).toBe('Check in progress.');
  });

  it("shows Rakuten's missing stock row and whether the repair went through", () => {
    expect(rakutenQuantityText('ko', null)).toBe('재고 정보 없음');
    expect(rakutenQuantityText('en', 12345)).toBe('12,345');
    expect(driftRepaired({ repairedAt: null })).toBe(false);
    expect(driftRepaired({ repairedAt: '2026-03-01T03:00:05Z' })).toBe(true);
  });
});

describe('link errors', () => {
  it("name the row and the unknown SKU code in the seller's language", () => {
    const error = {
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'Invalid input',
      details: [
        {
          field: 'links.0.skuCode',
          problems: ['no single SKU, bundle or option has the code MUGG'],
        },
      ],
    };
    const [field] = localizeError('ko', error).fields;
    expect(field.label).toBe('연결할 상품 › 1번째 › SKU 코드');
    expect(field.problems).toEqual([
      'MUGG 코드의 SKU(단일·세트·옵션)가 없습니다. SKU 관리에서 코드를 확인하세요.',
    ]);
    expect(
      localizeError('en', { statusCode: 409, code: 'DRIFT_CHECK_IN_PROGRESS', message: 'x' })
        .message,
    ).toBe('A stock check of this shop is already running; reload when it ends.');
  });
});
