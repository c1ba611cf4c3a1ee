import {
  carrierName,
  cleanText,
  deliveryLines,
  jpDate,
  jstDateTime,
  oneLine,
  packingSlipFileName,
  partyLines,
  taxRateText,
  timeSlotText,
  yen,
} from './slip-text';

describe('packing slip text', () => {
  it('cleanText keeps text as it is and removes what is not printable', () => {
    expect(cleanText('<script>alert(1)</script> & "x"')).toBe('<script>alert(1)</script> & "x"');
    expect(cleanText('a\r\nb\rc\td')).toBe('a\nb\nc d');
    expect(cleanText('a\u0000b\u0007c\u001bd\u007fe\u0085f\u009fg')).toBe('abcdefg');
    // Bidirectional and zero-width controls could reorder or hide text on the slip.
    expect(cleanText('\u202Eevil\u202C\u200B\u2066x\u2069\uFEFF')).toBe('evilx');
    // Unpaired surrogates go; a real pair stays.
    expect(cleanText('a\uD800b\uDC00c𠮷')).toBe('abc𠮷');
    // NFC: a decomposed が becomes one character.
    expect(cleanText('か\u3099')).toBe('が');
    expect(cleanText(null)).toBe('');
  });

  it('oneLine joins lines with a space', () => {
    expect(oneLine(' 楽天\n太郎 ')).toBe('楽天 太郎');
  });

  it('formats yen, tax rates and dates as a Japanese slip does', () => {
    expect(yen(1234567)).toBe('¥1,234,567');
    expect(yen(0)).toBe('¥0');
    expect(yen(-100)).toBe('-¥100');
    expect(taxRateText(0.1)).toBe('10%');
    expect(taxRateText(0.08)).toBe('8%※');
    expect(taxRateText(0)).toBe('0%');
    expect(taxRateText(null)).toBe('—');
    expect(jstDateTime('2025-03-01T00:58:12Z')).toBe('2025年3月1日 09:58');
    expect(jstDateTime(null)).toBe('—');
    expect(jpDate('2025-03-05')).toBe('2025年3月5日(水)');
  });

  it("reads Rakuten's time slot codes and carrier codes", () => {
    expect(timeSlotText(0)).toBeNull();
    expect(timeSlotText(null)).toBeNull();
    expect(timeSlotText(1)).toBe('午前中');
    expect(timeSlotText(2)).toBe('午後');
    expect(timeSlotText(9)).toBe('その他');
    expect(timeSlotText(1214)).toBe('12時〜14時');
    expect(carrierName('1001')).toBe('ヤマト運輸');
    expect(carrierName('9999')).toBe('9999');
    expect(carrierName(null)).toBeNull();
  });

  it('writes an address block and the delivery request', () => {
    expect(
      partyLines({
        name: '楽天 太郎',
        zipCode: '158-0094',
        prefecture: '東京都',
        city: '世田谷区',
        subAddress: '玉川一丁目14番1号',
        phone: '03-1234-5678',
      }),
    ).toEqual({
      name: '楽天 太郎',
      lines: ['〒158-0094', '東京都世田谷区', '玉川一丁目14番1号', 'TEL 03-1234-5678'],
    });
    expect(
      deliveryLines(
        {
          carrierCode: '1002',
          methodName: '宅配便',
          date: '2025-03-05',
          timeSlot: 1416,
          dropOffLocation: '玄関前',
        },
        { date: '2025-03-06', time: '午前中' },
      ),
    ).toEqual([
      'お届け希望日時: 2025年3月5日(水) 14時〜16時',
      '配送方法: 宅配便 / 佐川急便',
      '置き配: 玄関前',
      '備考の配送日時指定: 2025年3月6日(木) 午前中',
    ]);
    expect(deliveryLines(null, null)).toEqual([]);
  });

  it('names the file after the order and package, with nothing a header could trip on', () => {
    expect(
      packingSlipFileName({ orderNumber: '123456-20250301-0000000001', basketId: 10000001 }),
    ).toBe('packing-slip-123456-20250301-0000000001-10000001.pdf');
    expect(packingSlipFileName({ orderNumber: 'a"b\r\nX: y/../z', basketId: 1 })).toBe(
      'packing-slip-a_b__X__y____z-1.pdf',
    );
  });
});
