import type { ShopWithTestView } from '@smartship/contracts';

import {
  connectionTestedDetails,
  registeredDetails,
  renewedDetails,
  updatedDetails,
} from './shop-audit';

const SECRET = 'SP338711_secret';
const LICENSE = 'SL338711_licence';

const result = {
  shop: {
    id: 'shop-1',
    marketplace: 'rakuten',
    rakutenShopId: 'abcd',
    shopUrl: 'https://www.rakuten.ne.jp/abcd',
    options: { autoOrderSync: true, autoOrderConfirm: false, autoFulfillmentDispatch: false },
    licenseKeyLast4: 'ence',
    licenseKeyExpiresAt: '2026-02-18T00:00:00.000Z',
    // Whatever else the service sends must not reach the audit log by accident.
    serviceSecret: SECRET,
    licenseKey: LICENSE,
  },
  connectionTest: {
    id: 't-1',
    code: 'OK',
    message: 'ok',
    testedAt: '',
    durationMs: 1,
    trigger: 'register',
  },
} as unknown as ShopWithTestView;

describe('shop audit details', () => {
  it('carry no secret, even when the inputs do', () => {
    const body = {
      options: { autoOrderSync: false },
      enabled: true,
      serviceSecret: SECRET,
    } as never;
    const all = [
      registeredDetails(result),
      renewedDetails(result, '2025-11-20T10:00:00+09:00'),
      updatedDetails(body),
      connectionTestedDetails(result.connectionTest),
    ];
    const text = JSON.stringify(all);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(LICENSE);
    expect(text).not.toMatch(/serviceSecret|"licenseKey"/);
  });

  it('say what changed', () => {
    expect(registeredDetails(result)).toEqual({
      marketplace: 'rakuten',
      rakutenShopId: 'abcd',
      shopUrl: 'https://www.rakuten.ne.jp/abcd',
      options: result.shop.options,
      licenseKeyLast4: 'ence',
      connectionTest: 'OK',
    });
    expect(updatedDetails({ enabled: false })).toEqual({ enabled: false });
  });
});
