import { RAKUTEN_CARRIER_CODES } from '@smartship/contracts';

import { CARRIERS } from './carriers';
import { parseTrackingNumbers, shopStatusLabel, todayInJapan } from './status';

describe('shop status labels', () => {
  it('counts the days left on an expiring licence key', () => {
    expect(shopStatusLabel('ko', { status: 'expiring_soon', licenseKeyDaysLeft: 5 }).text).toBe(
      '키 만료 5일 전',
    );
    expect(shopStatusLabel('ja', { status: 'expiring_soon', licenseKeyDaysLeft: 5.7 }).text).toBe(
      'キー期限まであと5日',
    );
    expect(shopStatusLabel('en', { status: 'expiring_soon', licenseKeyDaysLeft: 14 })).toEqual({
      text: 'Key expires in 14 days',
      tone: 'warn',
      hint: 'Before it expires, issue a new licence key in RMS and enter it with [Renew keys].',
    });
    expect(shopStatusLabel('ko', { status: 'expiring_soon', licenseKeyDaysLeft: 0.4 }).text).toBe(
      '키가 오늘 만료됩니다',
    );
  });

  it('says what the seller must do for an expired key or refused keys', () => {
    const reauth = shopStatusLabel('ko', { status: 'needs_reauth', licenseKeyDaysLeft: 60 });
    expect(reauth.text).toBe('재인증 필요');
    expect(reauth.tone).toBe('bad');
    expect(reauth.hint).toContain('[키 갱신]');
    expect(shopStatusLabel('en', { status: 'expired', licenseKeyDaysLeft: -2 }).text).toBe(
      'Key expired',
    );
    expect(shopStatusLabel('ko', { status: 'active', licenseKeyDaysLeft: 80 })).toEqual({
      text: '정상',
      tone: 'ok',
      hint: null,
    });
  });
});

describe('the shipping form', () => {
  it('reads tracking numbers one per line or separated by commas', () => {
    expect(parseTrackingNumbers(' 1234-5678 \n\n9999,  8888、7777 ')).toEqual([
      '1234-5678',
      '9999',
      '8888',
      '7777',
    ]);
  });

  it('defaults the shipping date to today in Japan', () => {
    expect(todayInJapan(new Date('2026-11-29T15:30:00Z'))).toBe('2026-11-30');
    expect(todayInJapan(new Date('2026-11-29T14:59:00Z'))).toBe('2026-11-29');
  });

  it("lists exactly Rakuten's carrier codes known to the contracts", () => {
    expect(CARRIERS).toEqual(RAKUTEN_CARRIER_CODES);
  });
});
