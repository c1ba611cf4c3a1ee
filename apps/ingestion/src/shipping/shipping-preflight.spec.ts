import { distinctParcels, preflightProblem } from './shipping-preflight';

const now = new Date('2025-03-03T03:00:00Z'); // 12:00 JST
const parcel = { carrierCode: '1001', trackingNumber: '123456789012', shippingDate: '2025-03-03' };

describe('shipping report pre-flight checks', () => {
  it('passes complete parcels with a known carrier, a tracking number and a date', () => {
    expect(preflightProblem([parcel, { ...parcel, trackingNumber: 'X-2' }], now)).toBeNull();
  });

  it.each([
    [{ ...parcel, carrierCode: '9999' }, 'UNKNOWN_CARRIER'],
    [{ ...parcel, carrierCode: 'ヤマト運輸' }, 'UNKNOWN_CARRIER'],
    [{ ...parcel, trackingNumber: '' }, 'INCOMPLETE_PARCEL'],
    [{ ...parcel, trackingNumber: '番号' }, 'TRACKING_NUMBER'],
    [{ ...parcel, trackingNumber: '1'.repeat(121) }, 'TRACKING_NUMBER'],
    [{ ...parcel, shippingDate: '2025/03/03' }, 'SHIPPING_DATE'],
    [{ ...parcel, shippingDate: '2025-02-30' }, 'SHIPPING_DATE'],
    [{ ...parcel, shippingDate: '2025-03-05' }, 'SHIPPING_DATE'],
  ])('refuses %j with %s', (bad, code) => {
    expect(preflightProblem([parcel, bad], now)?.code).toBe(code);
  });

  it('refuses more than 20 parcels and an empty package', () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ ...parcel, trackingNumber: `T${i}` }));
    expect(preflightProblem(many, now)?.code).toBe('TOO_MANY_PARCELS');
    expect(preflightProblem([], now)?.code).toBe('NO_PARCELS');
  });

  it('keeps each tracking number once', () => {
    expect(distinctParcels([parcel, parcel, { ...parcel, trackingNumber: 'B' }])).toHaveLength(2);
  });
});
