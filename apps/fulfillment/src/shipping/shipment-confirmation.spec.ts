import { ShipFulfillmentOrderCall } from '@smartship/contracts';

import { FulfillmentError } from '../calls/fulfillment.errors';
import { parseCall } from '@smartship/service-kit';
import {
  decideConfirmation,
  otherPartProblem,
  sameConfirmation,
  shippingDateProblem,
  todayInJapan,
} from './shipment-confirmation';

const shipped = {
  carrierCode: '1001',
  trackingNumbers: ['1111-2222-3333', '4444-5555-6666'],
  shippingDate: '2025-03-02',
  shippedAt: '2025-03-02T08:00:00.000Z',
};

describe('shipment confirmation rules', () => {
  it('a ready order ships', () => {
    expect(decideConfirmation({ status: 'ready', shipment: null }, shipped)).toEqual({
      kind: 'ship',
    });
  });

  it('the same confirmation again is a repeat, whatever the order of the parcels', () => {
    const again = { ...shipped, trackingNumbers: ['4444-5555-6666', '1111-2222-3333'] };
    expect(decideConfirmation({ status: 'shipped', shipment: shipped }, again)).toEqual({
      kind: 'repeat',
    });
  });

  it.each([
    ['another tracking number', { trackingNumbers: ['9999'] }],
    ['one parcel fewer', { trackingNumbers: ['1111-2222-3333'] }],
    ['another carrier', { carrierCode: '1002' }],
    ['another date', { shippingDate: '2025-03-03' }],
  ])('%s for a shipped order is a conflict showing the recorded one', (_name, change) => {
    expect(
      decideConfirmation({ status: 'shipped', shipment: shipped }, { ...shipped, ...change }),
    ).toEqual({ kind: 'conflict', existing: shipped });
  });

  it('held orders cannot ship; canceled ones neither', () => {
    for (const status of ['awaiting_shop', 'awaiting_release', 'awaiting_stock'] as const) {
      expect(decideConfirmation({ status, shipment: null }, shipped).kind).toBe('not_ready');
    }
    expect(decideConfirmation({ status: 'canceled', shipment: null }, shipped).kind).toBe(
      'canceled',
    );
  });

  it('compares tracking numbers as a set', () => {
    expect(sameConfirmation(shipped, { ...shipped, trackingNumbers: ['1111-2222-3333'] })).toBe(
      false,
    );
  });

  it('a shipping date after today in Japan is refused; today is fine', () => {
    // 2025-03-02 16:00 UTC is 2025-03-03 01:00 JST.
    const now = new Date('2025-03-02T16:00:00Z');
    expect(todayInJapan(now)).toBe('2025-03-03');
    expect(shippingDateProblem('2025-03-03', now)).toBeNull();
    expect(shippingDateProblem('2025-03-04', now)).toMatch(/not be after today in Japan/);
  });
});

describe('the ship call is validated against the contract', () => {
  const base = {
    actor: { tenantId: '6b1f6a2e-7c55-4f7e-9b7e-2d0c3a1e5f00', actorId: 'token-1' },
    fulfillmentOrderId: '0d4b1c9e-2f1a-4f3b-8a57-3f6c1f2a9b10',
  };

  function problems(body: unknown): string[] {
    try {
      parseCall(ShipFulfillmentOrderCall, { ...base, body });
      return [];
    } catch (error) {
      return ((error as FulfillmentError).details as { field: string }[]).map((p) => p.field);
    }
  }

  it('accepts a Rakuten carrier code, 1..20 tracking numbers and a date', () => {
    const call = parseCall(ShipFulfillmentOrderCall, {
      ...base,
      body: { carrierCode: '1001', trackingNumbers: [' 1234-5678 '], shippingDate: '2025-03-02' },
    });
    expect(call.body.trackingNumbers).toEqual(['1234-5678']);
  });

  it.each([
    ['a carrier name', { carrierCode: 'ヤマト運輸' }, 'body.carrierCode'],
    ['a code not in the list', { carrierCode: '1999' }, 'body.carrierCode'],
    ['no tracking number', { trackingNumbers: [] }, 'body.trackingNumbers'],
    [
      '21 parcels',
      { trackingNumbers: Array.from({ length: 21 }, (_, i) => `T${i}`) },
      'body.trackingNumbers',
    ],
    ['the same number twice', { trackingNumbers: ['A1', 'A1'] }, 'body.trackingNumbers'],
    ['a number with spaces inside', { trackingNumbers: ['12 34'] }, 'body.trackingNumbers'],
    ['a number of 121 characters', { trackingNumbers: ['9'.repeat(121)] }, 'body.trackingNumbers'],
    ['a slashed date', { shippingDate: '2025/03/02' }, 'body.shippingDate'],
    ['a date that does not exist', { shippingDate: '2025-02-30' }, 'body.shippingDate'],
  ])('refuses %s', (_name, change, field) => {
    const body = {
      carrierCode: '1001',
      trackingNumbers: ['1234'],
      shippingDate: '2025-03-02',
      ...change,
    };
    expect(problems(body)).toContain(field);
  });

  it('refuses unknown fields', () => {
    expect(
      problems({ carrierCode: '1001', trackingNumbers: ['1'], shippingDate: '2025-03-02', x: 1 }),
    ).toContain('body.x');
  });
});

describe('otherPartProblem', () => {
  it('allows anything while the other part has not shipped', () => {
    expect(otherPartProblem([], ['A'])).toBeNull();
  });

  it('counts both parts against Rakuten’s 20 parcels per package', () => {
    const twelve = Array.from({ length: 12 }, (_, i) => `P-${i}`);
    const eight = Array.from({ length: 8 }, (_, i) => `Q-${i}`);
    expect(otherPartProblem(twelve, eight)).toBeNull();
    expect(otherPartProblem(twelve, [...eight, 'Q-9'])).toMatch(
      /at most 20 .* shipped 12, so at most 8/,
    );
  });

  it('refuses a tracking number the other part shipped with', () => {
    expect(otherPartProblem(['A', 'B'], ['C', 'B'])).toMatch(
      /B already shipped with the other part/,
    );
  });
});
