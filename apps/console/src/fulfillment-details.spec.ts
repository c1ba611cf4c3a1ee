import { SPLIT_POLICIES } from '@smartship/contracts';

import {
  EMPTY_SENDER,
  SPLIT_POLICY_OPTIONS,
  deliveryLines,
  packingSlipFileName,
  packingSlipPath,
  partLabel,
  revisionLabel,
  senderForm,
  settingsBody,
  timeSlotLabel,
  yen,
} from './fulfillment-details';
import { translate } from './i18n/messages';

describe('fulfillment order details in the console', () => {
  it('writes yen, and a dash for an amount Rakuten has not fixed', () => {
    expect(yen(4200)).toBe('¥4,200');
    expect(yen(-100)).toBe('-¥100');
    expect(yen(null)).toBe('—');
  });

  it('names a revision after the first, and the part of a split package', () => {
    expect(revisionLabel('ko', 1)).toBeNull();
    expect(revisionLabel('ko', undefined)).toBeNull();
    expect(revisionLabel('ko', 2)).toBe('개정 2');
    expect(revisionLabel('ja', 3)).toBe('第3版');
    expect(revisionLabel('en', 2)).toBe('Revision 2');
    expect(partLabel('ja', { kind: 'whole', otherFulfillmentOrderId: null })).toBeNull();
    expect(partLabel('ja', { kind: 'in_stock', otherFulfillmentOrderId: 'x' })).toBe(
      '分割出荷 1/2（在庫のある商品を先に）',
    );
    expect(partLabel('ko', { kind: 'back_order', otherFulfillmentOrderId: 'x' })).toBe(
      '분할 출하 2/2 (나머지)',
    );
  });

  it("reads Rakuten's time slots and the delivery request, the remarks block included", () => {
    expect(timeSlotLabel('ja', 0)).toBeNull();
    expect(timeSlotLabel('ja', 1)).toBe('午前中');
    expect(timeSlotLabel('ko', 1416)).toBe('14시~16시');
    expect(timeSlotLabel('en', 1820)).toBe('18:00–20:00');
    expect(
      deliveryLines(
        'ja',
        {
          carrierCode: '1001',
          methodName: '宅配便',
          date: '2025-03-05',
          timeSlot: 1,
          dropOffLocation: '玄関前',
        },
        { date: '2025-03-05', time: '午前中' },
      ),
    ).toEqual([
      'お届け希望日時：2025-03-05 午前中',
      '配送方法：宅配便 / ヤマト運輸',
      '置き配：玄関前',
      '備考の配送日時指定：2025-03-05 午前中',
    ]);
    expect(deliveryLines('en', null, null)).toEqual([]);
  });

  it('sends the settings form as the contract wants: blanks as null, no sender block when unused', () => {
    expect(settingsBody('hold', false, { ...EMPTY_SENDER, name: 'left over' })).toEqual({
      splitPolicy: 'hold',
      sender: null,
    });
    expect(
      settingsBody('ship_available', true, {
        ...EMPTY_SENDER,
        name: '  スマートシップ雑貨店 ',
        zipCode: '150-0001',
        prefecture: ' ',
        message: 'ありがとうございました。\nまたどうぞ。',
      }),
    ).toEqual({
      splitPolicy: 'ship_available',
      sender: {
        name: 'スマートシップ雑貨店',
        zipCode: '150-0001',
        prefecture: null,
        city: null,
        subAddress: null,
        phone: null,
        message: 'ありがとうございました。\nまたどうぞ。',
      },
    });
    expect(senderForm(null)).toEqual(EMPTY_SENDER);
    expect(senderForm({ name: 'A', phone: '03-1234-5678' })).toEqual({
      ...EMPTY_SENDER,
      name: 'A',
      phone: '03-1234-5678',
    });
  });

  it('offers the split policies of the contract', () => {
    expect([...SPLIT_POLICY_OPTIONS]).toEqual([...SPLIT_POLICIES]);
    for (const policy of SPLIT_POLICIES) {
      for (const lang of ['ko', 'ja', 'en'] as const) {
        expect(translate(lang, `fs.split.${policy}`)).not.toBe('');
        expect(translate(lang, `fs.split.${policy}.help`)).not.toBe('');
      }
    }
  });

  it('asks for the packing slip at the gateway route and saves it under the same name', () => {
    expect(packingSlipPath('6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b')).toBe(
      '/fulfillment-orders/6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b/packing-slip.pdf',
    );
    expect(packingSlipFileName({ orderNumber: '123456-20250301-0000000001', basketId: 7 })).toBe(
      'packing-slip-123456-20250301-0000000001-7.pdf',
    );
    expect(packingSlipFileName({ orderNumber: '../x"y', basketId: 1 })).toBe(
      'packing-slip-___x_y-1.pdf',
    );
  });
});
