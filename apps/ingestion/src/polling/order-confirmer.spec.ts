import { ORDER_CODES } from '@smartship/rakuten';

import { classifyConfirmation, deadlineFromOrderNumber } from './order-confirmer';

describe('classifyConfirmation', () => {
  it('confirmed and already confirmed are done; cancelled is done without success', () => {
    expect(classifyConfirmation({ ok: true, code: ORDER_CODES.CONFIRM_OK }, 1, 5)).toEqual({
      ok: true,
      final: true,
    });
    expect(classifyConfirmation({ ok: false, code: ORDER_CODES.CONFIRM_ALREADY }, 1, 5)).toEqual({
      ok: true,
      final: true,
    });
    expect(classifyConfirmation({ ok: false, code: ORDER_CODES.CONFIRM_CANCELED }, 1, 5)).toEqual({
      ok: false,
      final: true,
    });
  });

  it('amounts not fixed is retried, but not forever', () => {
    const code = ORDER_CODES.CONFIRM_AMOUNT_NOT_FIXED;
    expect(classifyConfirmation({ ok: false, code }, 4, 5).final).toBe(false);
    expect(classifyConfirmation({ ok: false, code }, 5, 5).final).toBe(true);
  });
});

describe('deadlineFromOrderNumber', () => {
  it('is 14 days after the JST order day', () => {
    expect(deadlineFromOrderNumber('123456-20250301-0001234567')?.toISOString()).toBe(
      '2025-03-14T15:00:00.000Z',
    );
    expect(deadlineFromOrderNumber('not-an-order')).toBeNull();
  });
});
