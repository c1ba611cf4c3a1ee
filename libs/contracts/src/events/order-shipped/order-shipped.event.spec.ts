import { validateData } from '../../codec';
import { ContractViolationError } from '../../contracts.errors';
import { exampleOrderShippedData, exampleParcel } from '../../examples';
import { TOPICS } from '../../topics';

function violationsOf(data: unknown): readonly string[] {
  try {
    validateData(TOPICS.ORDER_SHIPPED, data);
    return [];
  } catch (error) {
    if (error instanceof ContractViolationError) return error.violations;
    throw error;
  }
}

describe('order.shipped data', () => {
  it('takes 1 to 20 parcels, as Rakuten allows per package', () => {
    expect(violationsOf(exampleOrderShippedData({ parcels: 20 }))).toEqual([]);
    const tooMany = exampleOrderShippedData({ parcels: 20 });
    tooMany.parcels.push(exampleParcel(20));
    expect(violationsOf(tooMany)).toEqual([
      'data.parcels: parcels must contain no more than 20 elements',
    ]);
    expect(violationsOf({ ...exampleOrderShippedData(), parcels: [] })).toEqual([
      'data.parcels: parcels must contain at least 1 elements',
    ]);
  });

  it('refuses a carrier name where Rakuten expects its code', () => {
    const data = exampleOrderShippedData();
    data.parcels[0].carrierCode = '佐川急便';
    expect(violationsOf(data)).toEqual([
      'data.parcels.0.carrierCode: carrierCode must be a Rakuten delivery company code of four digits',
    ]);
  });

  it('refuses a shipping date in another format than YYYY-MM-DD', () => {
    const data = exampleOrderShippedData();
    data.parcels[0].shippingDate = '2025/03/02';
    expect(violationsOf(data)).toEqual([
      'data.parcels.0.shippingDate: shippingDate must be a date in the form YYYY-MM-DD',
    ]);
  });
});
