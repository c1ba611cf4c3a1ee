import { type RevisionCancellation, cancellationFor, uniqueOrders } from './order-cancellation';

function recorded(revision: number, rakutenStatus = 400): RevisionCancellation {
  return {
    revision,
    rakutenStatus,
    reason: `revision ${revision}`,
    detectedAt: '2025-03-01T02:00:00.000Z',
  };
}

describe('cancellationFor', () => {
  it('applies a cancellation to its revision and older ones, never to a newer one', () => {
    const of1 = [recorded(1)];
    expect(cancellationFor(of1, 1)).toEqual({
      rakutenStatus: 400,
      reason: 'revision 1',
      detectedAt: '2025-03-01T02:00:00.000Z',
    });
    expect(cancellationFor(of1, 2)).toBeUndefined();
    expect(cancellationFor([recorded(3, 900)], 1)).toMatchObject({ reason: 'revision 3' });
  });

  it('picks the cancellation of the revision itself, else the nearest later one', () => {
    const all = [recorded(4, 900), recorded(1), recorded(2)];
    expect(cancellationFor(all, 1)?.reason).toBe('revision 1');
    expect(cancellationFor(all, 2)?.reason).toBe('revision 2');
    expect(cancellationFor(all, 3)?.reason).toBe('revision 4');
    expect(cancellationFor(all, 5)).toBeUndefined();
  });

  it('finds nothing when nothing was canceled', () => {
    expect(cancellationFor([], 1)).toBeUndefined();
  });
});

describe('uniqueOrders', () => {
  it('keeps each (shop, order number) once, in first-seen order', () => {
    expect(
      uniqueOrders([
        { shopId: 's1', orderNumber: 'a' },
        { shopId: 's2', orderNumber: 'a' },
        { shopId: 's1', orderNumber: 'a' },
      ]),
    ).toEqual([
      { shopId: 's1', orderNumber: 'a' },
      { shopId: 's2', orderNumber: 'a' },
    ]);
  });
});
