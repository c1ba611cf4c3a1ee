import {
  EXAMPLE_SHOP_ID,
  exampleShipmentReadyData,
  type FulfillmentOrderDetailView,
  type WarehouseDetailsView,
} from '@smartship/contracts';

/**
 * A fulfillment order as `GET /fulfillment-orders/:id` answers it, built from the contracts'
 * example `shipment.ready` v2 data (a cash-on-delivery gift with remarks, a wrapping and のし),
 * with a shop sender block and slip message. For the renderer's tests and the sample PDF in
 * docs/packing-slip/.
 */
export function sampleSlipView(
  changes: { warehouse?: Partial<WarehouseDetailsView>; revision?: number } = {},
): FulfillmentOrderDetailView {
  const data = exampleShipmentReadyData();
  const warehouse: WarehouseDetailsView = {
    part: data.part,
    orderer: data.orderer,
    sender: {
      name: 'スマートシップ雑貨店',
      zipCode: '150-0001',
      prefecture: '東京都',
      city: '渋谷区',
      subAddress: '神宮前一丁目2番3号 スマートビル5階',
      phone: '03-1234-5678',
    },
    items: data.items,
    payment: data.payment,
    totals: data.totals,
    remarks: data.remarks,
    gift: data.gift,
    delivery: data.delivery,
    orderedAt: data.orderedAt,
    slipMessage:
      'このたびはご利用いただき誠にありがとうございます。またのご来店をお待ちしております。',
    ...changes.warehouse,
  };
  return {
    id: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b',
    shopId: EXAMPLE_SHOP_ID,
    marketplace: 'rakuten',
    orderNumber: data.shopRef.orderNumber,
    basketId: data.shopRef.basketId,
    revision: changes.revision ?? data.revision,
    status: 'ready',
    recipient: { ...data.recipient, name: '楽天 花子', nameKana: 'ラクテン ハナコ' },
    lines: data.lines,
    requestedCarrierCode: data.requestedCarrierCode ?? null,
    requestedDeliveryDate: data.requestedDeliveryDate ?? null,
    requestedTimeSlot: data.requestedTimeSlot ?? null,
    hold: null,
    stockReserved: true,
    shipment: null,
    cancellation: null,
    needsAttention: false,
    attentionReason: null,
    warehouse,
    createdAt: data.createdAt,
    updatedAt: data.createdAt,
    history: [],
  };
}
