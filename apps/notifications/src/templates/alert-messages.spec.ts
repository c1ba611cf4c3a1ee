import { NOTIFICATION_KINDS, NOTIFICATION_LANGUAGES } from '@smartship/contracts';

import { type AlertFacts, renderAlert } from './alert-messages';
import { escapeHtml, renderAlertEmail, renderDigestEmail } from './emails';
import { consoleLink } from './links';

const FULL = {
  daysLeft: 7,
  expiresAt: '2026-03-14T23:59:59+09:00',
  orderNumbers: ['338711-20260301-0000001', '338711-20260301-0000002'],
  deadlineAt: '2026-03-03T23:59:59+09:00',
  operation: 'updateOrderShipping',
  errorCode: 'ES01-01',
  count: 4,
  since: '2026-03-01T09:00:00+09:00',
  thresholdMinutes: 60,
  fileName: 'skus.xlsx',
  rowsTotal: 120,
  rowsFailed: 3,
  email: 'staff@example.com',
  failures: 20,
  lockedUntil: '2026-03-01T10:00:00+09:00',
};

describe('alert messages', () => {
  const cases = [...NOTIFICATION_KINDS, 'test' as const].flatMap((kind) =>
    NOTIFICATION_LANGUAGES.flatMap((lang) =>
      [FULL, {}].map(
        (facts, i) => [kind, lang, i === 0 ? 'all facts' : 'no facts', facts] as const,
      ),
    ),
  );

  it.each(cases)('%s in %s with %s reads without gaps', (kind, lang, _label, facts) => {
    for (const shop of ['kimchi-house', null]) {
      const { title, message } = renderAlert(kind, lang, shop, facts);
      for (const text of [title, message]) {
        expect(text).not.toMatch(/undefined|null|NaN|\[object/);
        expect(text.trim()).toBe(text);
        expect(text.length).toBeGreaterThan(5);
      }
      // Tenant alerts belong to no shop.
      const tenantWide = kind === 'import_errors' || kind === 'account_locked' || kind === 'test';
      if (shop && !tenantWide) expect(title).toContain(shop);
    }
  });

  it('says the licence warning in natural Korean, Japanese and English', () => {
    expect(renderAlert('license_expiring', 'ko', 'kimchi-house', { daysLeft: 14 }).title).toBe(
      'kimchi-house: 라이선스 키가 14일 후 만료됩니다',
    );
    expect(renderAlert('license_expiring', 'ja', 'kimchi-house', { daysLeft: 14 }).title).toBe(
      'kimchi-house：ライセンスキーの有効期限まであと14日です',
    );
    expect(renderAlert('license_expiring', 'en', 'kimchi-house', { daysLeft: 1 }).title).toBe(
      'kimchi-house: licence key expires in 1 day',
    );
    expect(renderAlert('license_expiring', 'ko', 'k', FULL).message).toContain(
      '2026. 3. 14. 오후 11:59 (JST)',
    );
  });

  it('shows at most three order numbers and how many more', () => {
    const many = { orderNumbers: ['1', '2', '3', '4', '5'] };
    expect(renderAlert('report_failed', 'ko', 's', many).message).toContain('1, 2, 3 외 2건');
    expect(renderAlert('report_failed', 'ja', 's', many).message).toContain('1, 2, 3 ほか2件');
    expect(renderAlert('report_failed', 'en', 's', many).message).toContain('1, 2, 3 and 2 more');
  });
});

describe('console links', () => {
  it.each([
    ['license_expiring', {}, '/shops/S1'],
    ['license_expired', {}, '/shops/S1'],
    ['auth_failed', {}, '/shops/S1'],
    ['pull_failing', {}, '/shops/S1'],
    ['orders_unmapped', {}, '/mapping'],
    ['report_failed', { orderNumbers: ['338711-1'] }, '/orders/338711-1'],
    ['report_failed', { orderNumbers: ['a', 'b'] }, '/orders'],
    ['order_unpublishable', { orderNumbers: ['x/y'] }, '/orders/x%2Fy'],
    ['order_unpublishable', {}, '/orders'],
    ['confirmation_deadline', { orderNumbers: ['1'] }, '/orders'],
    ['stock_push_failing', {}, '/inventory'],
    ['import_errors', {}, '/skus'],
  ] as const)('%s %j → %s', (kind, facts, link) => {
    expect(consoleLink(kind, 'S1', structuredClone(facts) as AlertFacts)).toBe(link);
  });
});

describe('e-mails', () => {
  it('escapes everything that came from outside in the HTML part', () => {
    const email = renderAlertEmail({
      lang: 'en',
      severity: 'warning',
      title: '<script>alert(1)</script> & "x"',
      message: "it's <b>bold</b>",
      url: 'http://console/orders/"><img src=x>',
    });
    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('<b>');
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;');
    expect(email.html).toContain('href="http://console/orders/&quot;&gt;&lt;img src=x&gt;"');
    expect(email.text).toContain('<script>alert(1)</script>'); // plain text stays as it is
    expect(escapeHtml(`'`)).toBe('&#39;');
  });

  it('names the severity and the problem in the subject, in the language', () => {
    const email = renderAlertEmail({
      lang: 'ko',
      severity: 'critical',
      title: 's: 라이선스 키가 만료되었습니다',
      message: 'm',
      url: 'http://c/shops/1',
    });
    expect(email.subject).toBe('[Smartship] [긴급] s: 라이선스 키가 만료되었습니다');
    expect(email.text).toContain('스마트십에서 확인하기: http://c/shops/1');
  });

  it('lists a digest with repeats', () => {
    const email = renderDigestEmail('en', [
      { title: 'A', url: 'http://c/skus', createdAt: '2026-03-01T00:00:00Z', suppressedRepeats: 2 },
    ]);
    expect(email.subject).toBe('[Smartship] Daily summary (1 alert)');
    expect(email.text).toContain('A (repeated 2 more times)');
    expect(email.html).toContain('<a href="http://c/skus">');
  });
});
