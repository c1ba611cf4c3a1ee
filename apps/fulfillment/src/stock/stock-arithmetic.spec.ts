import {
  availableOf,
  describeShortLines,
  mergeLines,
  planReservation,
  release,
  reserve,
  ship,
} from './stock-arithmetic';

describe('stock arithmetic', () => {
  const levels = new Map([
    ['A', { onHand: 5, reserved: 3 }],
    ['B', { onHand: 1, reserved: 0 }],
    ['C', { onHand: 2, reserved: 4 }],
  ]);

  it('available is on hand minus reserved, negative when a stock-take found less', () => {
    expect(availableOf({ onHand: 5, reserved: 3 })).toBe(2);
    expect(availableOf({ onHand: 2, reserved: 4 })).toBe(-2);
  });

  it('an order that fits exactly takes the last units', () => {
    expect(
      planReservation(
        [
          { skuCode: 'A', quantity: 2 },
          { skuCode: 'B', quantity: 1 },
        ],
        levels,
      ),
    ).toEqual({ ok: true });
  });

  it('one short line holds the whole order and names every short line', () => {
    expect(
      planReservation(
        [
          { skuCode: 'A', quantity: 3 },
          { skuCode: 'B', quantity: 1 },
          { skuCode: 'C', quantity: 1 },
        ],
        levels,
      ),
    ).toEqual({
      ok: false,
      shortLines: [
        { skuCode: 'A', needed: 3, available: 2 },
        { skuCode: 'C', needed: 1, available: -2 },
      ],
    });
  });

  it('a SKU without a stock record has nothing on hand', () => {
    expect(planReservation([{ skuCode: 'NEW', quantity: 1 }], levels)).toEqual({
      ok: false,
      shortLines: [{ skuCode: 'NEW', needed: 1, available: 0 }],
    });
  });

  it('repeated SKUs are added up before they are checked', () => {
    expect(
      planReservation(
        [
          { skuCode: 'A', quantity: 1 },
          { skuCode: 'A', quantity: 2 },
        ],
        levels,
      ),
    ).toMatchObject({ ok: false, shortLines: [{ skuCode: 'A', needed: 3 }] });
  });

  it('reserve, release and ship move the right counts and never go below zero', () => {
    expect(reserve({ onHand: 5, reserved: 3 }, 2)).toEqual({ onHand: 5, reserved: 5 });
    expect(release({ onHand: 5, reserved: 3 }, 2)).toEqual({ onHand: 5, reserved: 1 });
    expect(release({ onHand: 5, reserved: 1 }, 2)).toEqual({ onHand: 5, reserved: 0 });
    expect(ship({ onHand: 5, reserved: 3 }, 2, true)).toEqual({ onHand: 3, reserved: 1 });
    expect(ship({ onHand: 5, reserved: 3 }, 2, false)).toEqual({ onHand: 3, reserved: 3 });
    expect(ship({ onHand: 1, reserved: 3 }, 2, true)).toEqual({ onHand: 0, reserved: 1 });
  });

  it('lines are merged per SKU and sorted by code (the lock order)', () => {
    expect(
      mergeLines([
        { skuCode: 'B', quantity: 1 },
        { skuCode: 'A', quantity: 2 },
        { skuCode: 'B', quantity: 3 },
      ]),
    ).toEqual([
      { skuCode: 'A', quantity: 2 },
      { skuCode: 'B', quantity: 4 },
    ]);
  });

  it('short lines read as a sentence', () => {
    expect(describeShortLines([{ skuCode: 'A', needed: 3, available: 1 }])).toBe(
      'A needs 3, 1 available',
    );
  });
});
