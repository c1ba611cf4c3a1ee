import { createEvent, decodeEvent, encodeEvent } from '../../codec';
import {
  EXAMPLE_SHOP_ID,
  EXAMPLE_TENANT_ID,
  exampleShipmentReadyData,
  exampleShipmentReadyV1Data,
} from '../../examples';
import { TOPICS } from '../../topics';

/** A v1 envelope as a producer of the previous release wrote it. */
function v1Message(): string {
  return JSON.stringify({
    id: '7d6c8f0e-2a8b-4f0e-9a55-3c0f2b1a4e11',
    type: 'shipment.ready',
    version: 1,
    occurredAt: '2025-03-01T01:05:00.000Z',
    tenantId: EXAMPLE_TENANT_ID,
    shopId: EXAMPLE_SHOP_ID,
    correlationId: '7d6c8f0e-2a8b-4f0e-9a55-3c0f2b1a4e11',
    data: exampleShipmentReadyV1Data(),
  });
}

describe('shipment.ready versions', () => {
  it('is produced as v2 with the warehouse fields', () => {
    const event = createEvent(TOPICS.SHIPMENT_READY, {
      tenantId: EXAMPLE_TENANT_ID,
      shopId: EXAMPLE_SHOP_ID,
      data: exampleShipmentReadyData(),
    });
    expect(event.version).toBe(2);
    const decoded = decodeEvent(encodeEvent(event), [TOPICS.SHIPMENT_READY]);
    if (!decoded.ok) throw new Error(decoded.reason);
    expect(decoded.event.data.payment).toEqual({
      settlementMethodCode: 2,
      settlementMethodName: '代金引換',
      cashOnDelivery: true,
      amountToCollect: decoded.event.data.totals?.requestPrice,
    });
    expect(decoded.event.data.gift?.noshi).toBe('御祝 / 山田');
    expect(decoded.event.data.delivery.fromRemarks).toEqual({ date: '2025-03-05', time: '午前中' });
  });

  it('reads a v1 event as the v2 shape, with what v1 did not carry as unknown (null)', () => {
    const decoded = decodeEvent(v1Message(), [TOPICS.SHIPMENT_READY]);
    if (!decoded.ok) throw new Error(decoded.reason);
    expect(decoded.event.version).toBe(1);
    const data = decoded.event.data;
    expect(data.lines).toEqual(exampleShipmentReadyV1Data().lines);
    expect(data.part).toEqual({ kind: 'whole', otherFulfillmentOrderId: null });
    // Never "not cash on delivery" for a v1 parcel: unknown.
    expect(data.payment).toBeNull();
    expect(data.items).toBeNull();
    expect(data.revision).toBeNull();
    expect(data.delivery.requested).toEqual({ carrierCode: '1001', date: null, timeSlot: null });
  });

  it('refuses a v2 producer that leaves out the payment, naming the field', () => {
    const { payment: _payment, ...withoutPayment } = exampleShipmentReadyData();
    expect(() =>
      createEvent(TOPICS.SHIPMENT_READY, {
        tenantId: EXAMPLE_TENANT_ID,
        shopId: EXAMPLE_SHOP_ID,
        data: withoutPayment as never,
      }),
    ).toThrow(/payment/);
  });

  it('refuses a negative amount to collect', () => {
    const data = exampleShipmentReadyData();
    data.payment.amountToCollect = -1;
    expect(() =>
      createEvent(TOPICS.SHIPMENT_READY, {
        tenantId: EXAMPLE_TENANT_ID,
        shopId: EXAMPLE_SHOP_ID,
        data,
      }),
    ).toThrow(/amountToCollect/);
  });
});
