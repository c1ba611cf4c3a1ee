import { NOTIFICATION_KINDS, SHOP_ALERT_KINDS, TENANT_ALERT_KINDS } from '@smartship/contracts';

import { fieldIs, localizeError, namesField } from './i18n/errors';
import { LANGS } from './i18n/messages';
import {
  ALERT_KINDS,
  consolePath,
  formatHour,
  joinWindow,
  kindHelp,
  kindName,
  severityBadge,
  splitWindow,
  timeAgo,
} from './notifications';

describe('alert kinds in the console', () => {
  it('are exactly the kinds the platform sends (shop and tenant alerts)', () => {
    expect([...ALERT_KINDS].sort()).toEqual([...NOTIFICATION_KINDS].sort());
    expect([...ALERT_KINDS].sort()).toEqual([...SHOP_ALERT_KINDS, ...TENANT_ALERT_KINDS].sort());
  });

  it('each have a name and a one-line explanation in Korean, Japanese and English', () => {
    for (const lang of LANGS) {
      const names = ALERT_KINDS.map((kind) => kindName(lang, kind));
      expect(new Set(names).size).toBe(ALERT_KINDS.length);
      for (const kind of ALERT_KINDS) {
        expect(kindName(lang, kind)).not.toBe(kind);
        expect(kindHelp(lang, kind).length).toBeGreaterThan(20);
      }
    }
    expect(kindName('ko', 'license_expiring')).toBe('License Key 만료 임박');
    expect(kindName('ja', 'orders_unmapped')).toBe('マッピング待ちの注文');
    expect(kindName('en', 'import_errors')).toBe('SKU import errors');
  });

  it('shows a kind it does not know yet as the API sent it', () => {
    expect(kindName('ko', 'something_new')).toBe('something_new');
    expect(kindHelp('ko', 'something_new')).toBe('');
  });
});

describe('notification display', () => {
  it('words and colours the severity, unknown ones as info', () => {
    expect(severityBadge('ko', 'critical')).toEqual({ text: '긴급', tone: 'bad' });
    expect(severityBadge('ja', 'warning')).toEqual({ text: '注意', tone: 'warn' });
    expect(severityBadge('en', 'info')).toEqual({ text: 'Info', tone: 'info' });
    expect(severityBadge('en', 'loud')).toEqual({ text: 'Info', tone: 'info' });
  });

  it('says how long ago in the largest unit that fits', () => {
    const now = new Date('2026-03-01T12:00:00Z');
    expect(timeAgo('en', '2026-03-01T11:57:00Z', now)).toBe('3 minutes ago');
    expect(timeAgo('ko', '2026-03-01T09:00:00Z', now)).toBe('3시간 전');
    expect(timeAgo('ja', '2026-02-28T12:00:00Z', now)).toBe('昨日');
    expect(timeAgo('en', '2026-03-01T11:59:50Z', now)).toBe('now');
  });

  it('follows a link only when it is a path inside the console', () => {
    expect(consolePath('/shops/4f7c')).toBe('/shops/4f7c');
    expect(consolePath('/orders/123-20260301-0000000001')).toBe('/orders/123-20260301-0000000001');
    for (const outside of [
      'https://evil.example/',
      '//evil.example/x',
      'javascript:alert(1)',
      '/\\evil',
      '',
      null,
    ]) {
      expect(consolePath(outside)).toBeNull();
    }
  });
});

describe('notification settings form', () => {
  it('shows the repeat window in hours when it is whole hours, else in minutes', () => {
    expect(splitWindow(60)).toEqual({ value: 1, unit: 'hours' });
    expect(splitWindow(1440)).toEqual({ value: 24, unit: 'hours' });
    expect(splitWindow(90)).toEqual({ value: 90, unit: 'minutes' });
    expect(splitWindow(5)).toEqual({ value: 5, unit: 'minutes' });
  });

  it('turns the form back into minutes, leaving a blank for the API to refuse', () => {
    expect(joinWindow('2', 'hours')).toBe(120);
    expect(joinWindow(' 45 ', 'minutes')).toBe(45);
    expect(joinWindow('', 'minutes')).toBeNaN();
  });

  it('writes the digest hour as a clock time', () => {
    expect(formatHour(9)).toBe('09:00');
    expect(formatHour(23)).toBe('23:00');
  });
});

describe('field errors of the notification forms', () => {
  const refused = {
    statusCode: 400,
    code: 'VALIDATION_FAILED',
    message: 'Invalid request',
    details: [
      { field: 'email', problems: ['email must be an e-mail address, e.g. ops@example.com'] },
      { field: 'kinds.1', problems: ['each of kinds must be one of: license_expiring, …'] },
      {
        field: 'url',
        problems: [
          '127.0.0.1 is an internal address (loopback); webhooks only go to public addresses',
        ],
      },
    ],
  };

  it('names each field, items of a list under the list', () => {
    expect(fieldIs('kinds.1', 'kinds')).toBe(true);
    expect(fieldIs('kindsX', 'kinds')).toBe(false);
    expect(namesField(refused, 'email')).toBe(true);
    expect(namesField(refused, 'kinds')).toBe(true);
    expect(namesField(refused, 'digest')).toBe(false);
    expect(namesField(null, 'email')).toBe(false);
  });

  it('says the problems in the seller language', () => {
    const https = localizeError('ja', {
      ...refused,
      details: [{ field: 'url', problems: ['url must be an https:// URL, e.g. https://x'] }],
    });
    expect(https.fields[0].problems).toEqual(['https:// で始まるURLにしてください。']);
    const unresolvable = localizeError('ko', {
      ...refused,
      details: [
        {
          field: 'url',
          problems: ['url is refused: hooks.nowhere.example does not resolve to an address'],
        },
      ],
    });
    expect(unresolvable.fields[0].problems[0]).toContain('DNS');
    const ko = localizeError('ko', refused).fields;
    expect(ko.map((field) => field.label)).toEqual(['이메일 주소', '받을 알림 › 2번째', 'URL']);
    expect(ko[0].problems[0]).toContain('올바른 이메일 주소');
    expect(ko[2].problems[0]).toContain('내부 주소');
    const en = localizeError('en', refused).fields;
    expect(en[1].problems[0]).toBe('must be one of the listed values.');
  });
});
