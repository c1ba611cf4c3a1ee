import { RakutenError, RakutenErrorCode } from '@smartship/rakuten';

import { classifyFailure, describe as describeCode } from './connection-tester';

const now = new Date('2026-11-29T12:00:00Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
const error = (code: RakutenErrorCode) => new RakutenError(code, 'x', { function: 'searchOrder' });

describe('classifyFailure', () => {
  it('tells wrong, expired and not-yet-active keys apart, though Rakuten answers ES01-01 for all', () => {
    const auth = error(RakutenErrorCode.AUTHENTICATION);
    expect(classifyFailure(auth, { keysSetAt: minutesAgo(5), knownExpiry: null }, now, 30)).toBe(
      'LICENSE_KEY_NOT_ACTIVE_YET',
    );
    expect(classifyFailure(auth, { keysSetAt: minutesAgo(45), knownExpiry: null }, now, 30)).toBe(
      'AUTH_FAILED',
    );
    expect(
      classifyFailure(auth, { keysSetAt: minutesAgo(5), knownExpiry: minutesAgo(1) }, now, 30),
    ).toBe('LICENSE_KEY_EXPIRED');
  });

  it.each([
    [RakutenErrorCode.FUNCTION_NOT_ENABLED, 'ORDER_API_NOT_ENABLED'],
    [RakutenErrorCode.THROTTLED, 'THROTTLED'],
    [RakutenErrorCode.UNAVAILABLE, 'RAKUTEN_UNAVAILABLE'],
    [RakutenErrorCode.UNEXPECTED_RESPONSE, 'RAKUTEN_UNAVAILABLE'],
    [RakutenErrorCode.TIMEOUT, 'UNREACHABLE'],
    [RakutenErrorCode.NETWORK, 'UNREACHABLE'],
  ])('%s → %s', (code, expected) => {
    expect(
      classifyFailure(error(code), { keysSetAt: minutesAgo(60), knownExpiry: null }, now, 30),
    ).toBe(expected);
  });

  it('an error that is not Rakuten’s is "unreachable"', () => {
    expect(classifyFailure(new Error('boom'), { keysSetAt: now, knownExpiry: null }, now, 30)).toBe(
      'UNREACHABLE',
    );
  });
});

describe('connection test messages', () => {
  it('say where in RMS to act', () => {
    expect(describeCode('ORDER_API_NOT_ENABLED', null)).toContain('楽天ペイ受注API');
    expect(describeCode('ORDER_API_NOT_ENABLED', null)).toContain('[全て選択]');
    expect(describeCode('LICENSE_KEY_EXPIRED', new Date('2026-01-02T00:00:00Z'))).toContain(
      '2026-01-02',
    );
    expect(describeCode('LICENSE_KEY_NOT_ACTIVE_YET', null)).toContain('10 to 30 minutes');
  });
});
