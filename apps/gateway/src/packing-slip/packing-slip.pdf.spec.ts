import type {
  FulfillmentOrderDetailView,
  ShipmentItem,
  WarehouseDetailsView,
} from '@smartship/contracts';
import { pdfPageText, pdfText, readPdf, type ReadPdf } from '@smartship/testing';

import {
  FONT_NAMES,
  MISSING_GLYPH,
  PackingSlipUnavailableError,
  renderPackingSlip,
} from './packing-slip.pdf';
import { sampleSlipView } from './sample-slip';

/*
 * The packing slip as a reader sees it: each PDF is read back with pdfjs-dist (in a child process,
 * see readPdf in @smartship/testing) and its text, pages and fonts are checked. No pdftotext needed.
 */

const squeeze = (text: string): string => text.replace(/\s+/g, '');

function withWarehouse(
  changes: Partial<WarehouseDetailsView>,
  revision?: number,
): FulfillmentOrderDetailView {
  return sampleSlipView({ warehouse: changes, revision });
}

const base = sampleSlipView();
const baseDetails = base.warehouse as WarehouseDetailsView;
const slipMessage = baseDetails.slipMessage ?? '';
const notGift = { ...baseDetails.gift, requested: false };

describe('renderPackingSlip', () => {
  let giftPdf: Buffer;
  let gift: ReadPdf;
  let plain: ReadPdf;
  let plainPdf: Buffer;

  beforeAll(async () => {
    giftPdf = await renderPackingSlip(base);
    gift = readPdf(giftPdf);
    plainPdf = await renderPackingSlip(withWarehouse({ gift: notGift }));
    plain = readPdf(plainPdf);
  });

  it('is one A4 page (595.28 × 841.89 pt) titled 納品書 with the order number', () => {
    expect(giftPdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(gift.numPages).toBe(1);
    expect(gift.pages[0].width).toBeCloseTo(595.28, 1);
    expect(gift.pages[0].height).toBeCloseTo(841.89, 1);
    expect(gift.info?.Title).toBe(`納品書 ${base.orderNumber}`);
    const text = pdfText(gift);
    expect(text).toContain('納品書');
    expect(text).toContain(squeeze(`ご注文番号${base.orderNumber}`));
    expect(text).toContain('ご注文日時2025年3月1日09:58');
    expect(text).toContain(`送付先ID${base.basketId}`);
  });

  it('embeds BIZ UDPGothic as a subset (only the glyphs used), and the file stays small', () => {
    const raw = giftPdf.toString('latin1');
    for (const name of [FONT_NAMES.regular, FONT_NAMES.bold]) {
      // A subset font's name starts with a six-letter tag: ABCDEF+Name.
      expect(raw).toMatch(new RegExp(`/BaseFont /[A-Z]{6}\\+${name}\\b`));
    }
    expect(raw).toContain('/FontFile2');
    expect(raw).toContain('/ToUnicode');
    // The whole font is 4.5 MB a weight; a slip with two subsets is far below.
    expect(giftPdf.length).toBeLessThan(200_000);
  });

  it("prints the shop's sender block, the recipient and the orderer", () => {
    const text = pdfText(gift);
    for (const expected of [
      'スマートシップ雑貨店',
      '〒150-0001',
      '東京都渋谷区',
      '神宮前一丁目2番3号スマートビル5階',
      'TEL03-1234-5678',
      'お届け先',
      '楽天花子様',
      'ラクテンハナコ',
      'ご注文者',
      '楽天太郎様',
      '〒158-0094',
      '玉川一丁目14番1号',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('prints each line with its options, variation, quantity, tax-included price, rate and amount', () => {
    const text = pdfText(plain);
    expect(text).toContain('商品名数量単価(税込)税率金額');
    expect(text).toContain('Tシャツ001');
    expect(text).toContain('Tシャツ002');
    expect(text).toContain('ラッピング:希望しない');
    expect(text).toContain('サイズ:Mカラー:ブラック');
    expect(text).toContain('商品番号:item-002');
    // Tシャツ 001: 1 × ¥1,000 at 10%; Tシャツ 002: 2 × ¥1,100 = ¥2,200.
    expect(text).toMatch(/1¥1,00010%¥1,000/);
    expect(text).toMatch(/2¥1,10010%¥2,200/);
  });

  it('prints the totals: goods, postage, COD fee, wrapping, total, points, amount billed', () => {
    const text = pdfText(plain);
    for (const expected of [
      '商品合計¥3,200',
      '送料¥550',
      '代引手数料¥330',
      'ラッピング¥220',
      '合計¥4,300',
      'ポイント利用-¥100',
      'ご請求額¥4,200',
    ]) {
      expect(text).toContain(expected);
    }
    // Zero amounts are left out.
    expect(text).not.toContain('決済手数料');
    expect(text).not.toContain('クーポン利用');
  });

  it('prints coupons and the settlement fee when there are some', async () => {
    const totals = { ...baseDetails.totals, paymentCharge: 150, couponTotal: 500 };
    const text = pdfText(
      readPdf(await renderPackingSlip(withWarehouse({ gift: notGift, totals }))),
    );
    expect(text).toContain('決済手数料¥150');
    expect(text).toContain('クーポン利用-¥500');
  });

  it('shows the cash-on-delivery amount in its own box, and none for other payments', async () => {
    expect(pdfText(plain)).toContain(
      '代金引換商品お受け取りの際に配達員へお支払いください。お支払い金額¥4,200',
    );
    const card = await renderPackingSlip(
      withWarehouse({
        gift: notGift,
        payment: {
          settlementMethodCode: 1,
          settlementMethodName: 'クレジットカード',
          cashOnDelivery: false,
          amountToCollect: 0,
        },
      }),
    );
    const text = pdfText(readPdf(card));
    expect(text).not.toContain('代金引換');
    expect(text).not.toContain('お支払い金額');
    expect(text).toContain('ご請求額¥4,200');
  });

  it('a gift slip prints no prices: no unit prices, amounts or totals; the COD amount stays', () => {
    const text = pdfText(gift);
    expect(text).toContain('ギフト');
    expect(text).toContain('商品名数量');
    expect(text).not.toContain('単価');
    expect(text).not.toContain('商品合計');
    for (const price of ['¥1,000', '¥1,100', '¥2,200', '¥3,200', '¥550', '¥4,300', 'ご請求額']) {
      expect(text).not.toContain(price);
    }
    expect(text).toContain('ギフトのため金額は記載しておりません。');
    // What the carrier collects is not a price of the gift: the recipient pays it at the door.
    expect(text.match(/¥/g)).toHaveLength(1);
    expect(text).toContain('お支払い金額¥4,200');
  });

  it('prints the wrapping and のし', async () => {
    const text = pdfText(gift);
    expect(text).toContain('ラッピング包装紙（赤）');
    expect(text).toContain('のし御祝/山田');
    const ribbon = pdfText(
      readPdf(
        await renderPackingSlip(
          withWarehouse({
            gift: {
              requested: true,
              wrappings: [
                { kind: 'paper', name: '包装紙（青）', price: 0, taxIncluded: true },
                { kind: 'ribbon', name: 'ゴールドリボン', price: 110, taxIncluded: true },
              ],
              noshi: null,
            },
          }),
        ),
      ),
    );
    expect(ribbon).toContain('ラッピング包装紙（青）');
    expect(ribbon).toContain('リボンゴールドリボン');
    expect(ribbon).not.toContain('のし');
  });

  it('prints the remarks, the requested delivery and the shop message', () => {
    const text = pdfText(gift);
    expect(text).toContain(
      '備考（お客様より）[配送日時指定:]2025-03-05(水)午前中[備考:]置き配希望です',
    );
    expect(text).toContain('配送方法:宅配便/ヤマト運輸');
    expect(text).toContain('備考の配送日時指定:2025年3月5日(水)午前中');
    expect(text).toContain(squeeze(slipMessage));
  });

  it('prints a hostile remark as the characters it is, without its control characters', async () => {
    const remarks =
      '<script>alert(1)</script>\u0007 & <b>bold</b> \u202Eevil\u202C %PDF) BT /F1 Tj';
    const read1 = readPdf(await renderPackingSlip(withWarehouse({ remarks })));
    const text = pdfText(read1);
    expect(text).toContain(squeeze('<script>alert(1)</script>&<b>bold</b>evil%PDF)BT/F1Tj'));
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    expect(text).not.toMatch(/[\u0000-\u001f\u202a-\u202e]/);
    expect(read1.numPages).toBe(1);
  });

  it('wraps a 5,000-character remark inside the page and continues it on new pages', async () => {
    const sentence = 'お届けの際はインターホンを二回押してください。Please ring twice, thank you. ';
    // With one unbroken 400-character token (a pasted URL), which must be cut to fit too.
    const url = `https://example.com/${'a'.repeat(380)}`;
    const remarks = `${url} ${sentence.repeat(Math.ceil(5000 / sentence.length))}`.slice(0, 5000);
    expect(remarks).toHaveLength(5000);
    const pdf = readPdf(await renderPackingSlip(withWarehouse({ remarks })));
    expect(pdf.numPages).toBeGreaterThanOrEqual(2);
    for (const page of pdf.pages) {
      for (const item of page.items) {
        expect(item.x).toBeGreaterThanOrEqual(39);
        expect(item.x + item.width).toBeLessThanOrEqual(page.width - 39);
        expect(item.y).toBeGreaterThan(0);
      }
    }
    // Every character arrives, in order, once the page frames are taken out.
    const body = pdf.pages
      .map((page, i) =>
        pdfPageText(page)
          .replace(`${i + 1}/${pdf.numPages}`, '')
          .replace(`納品書（続き）ご注文番号${base.orderNumber}`, ''),
      )
      .join('');
    expect(body).toContain(squeeze(remarks));
    expect(pdfPageText(pdf.pages[1])).toContain(`納品書（続き）ご注文番号${base.orderNumber}`);
    expect(pdfPageText(pdf.pages[1])).toContain(`2/${pdf.numPages}`);
  });

  it('wraps a long item name and carries many lines over to a new page with the header again', async () => {
    const item = baseDetails.items[0];
    const items: ShipmentItem[] = Array.from({ length: 30 }, (_, i) => ({
      ...item,
      itemDetailId: i + 1,
      itemName: `${i + 1}番目の商品【送料無料】国産 有機栽培 緑茶 ティーバッグ 2.5g×100包 まとめ買い お徳用 静岡県産 一番茶`,
    }));
    const pdf = readPdf(await renderPackingSlip(withWarehouse({ gift: notGift, items })));
    expect(pdf.numPages).toBeGreaterThanOrEqual(2);
    expect(pdfPageText(pdf.pages[1])).toContain('商品名数量単価(税込)税率金額');
    const text = pdfText(pdf);
    for (let i = 1; i <= 30; i++) expect(text).toContain(`${i}番目の商品`);
  });

  it('says which revision and which part of a split package the slip is for', async () => {
    const text = pdfText(
      readPdf(
        await renderPackingSlip(
          withWarehouse({ part: { kind: 'back_order', otherFulfillmentOrderId: 'fo-1' } }, 3),
        ),
      ),
    );
    expect(text).toContain('注文の版第3版（注文内容の変更後）');
    expect(text).toContain('分割出荷2/2（残りの商品）');
    const first = pdfText(
      readPdf(
        await renderPackingSlip(
          withWarehouse({
            gift: notGift,
            part: { kind: 'in_stock', otherFulfillmentOrderId: 'fo-2' },
          }),
        ),
      ),
    );
    expect(first).toContain('分割出荷1/2（在庫のある商品を先にお届け）');
    expect(first).toContain('※金額はご注文全体の金額です（分割出荷）。');
    // Revision 1 and a whole package say nothing of either.
    expect(pdfText(gift)).not.toContain('注文の版');
    expect(pdfText(gift)).not.toContain('分割出荷');
  });

  it('marks reduced-rate (8%) lines', async () => {
    const items = [{ ...baseDetails.items[0], taxRate: 0.08 }];
    const text = pdfText(readPdf(await renderPackingSlip(withWarehouse({ gift: notGift, items }))));
    expect(text).toContain('8%※');
    expect(text).toContain('※は軽減税率（8%）対象商品です。');
  });

  it('prints a character the font lacks as 〓 rather than an empty box', async () => {
    const text = pdfText(
      readPdf(await renderPackingSlip(withWarehouse({ remarks: '𠮷野家の髙橋様へ' }))),
    );
    expect(text).toContain(`${MISSING_GLYPH}野家の髙橋様へ`);
  });

  it('names the orderer when the shop has no sender block (the contract puts the orderer in sender)', async () => {
    const text = pdfText(
      readPdf(
        await renderPackingSlip(withWarehouse({ sender: baseDetails.orderer, slipMessage: null })),
      ),
    );
    expect(text).not.toContain('スマートシップ雑貨店');
    expect(text).not.toContain(squeeze(slipMessage));
  });

  it('prints amounts Rakuten has not fixed as 未確定, and warns not to ship a COD parcel', async () => {
    const totals = {
      ...baseDetails.totals,
      postagePrice: null,
      totalPrice: null,
      requestPrice: null,
    };
    const payment = { ...baseDetails.payment, amountToCollect: null };
    const text = pdfText(
      readPdf(await renderPackingSlip(withWarehouse({ gift: notGift, totals, payment }))),
    );
    expect(text).toContain('送料未確定');
    expect(text).toContain('合計未確定');
    expect(text).toContain('ご請求額未確定');
    expect(text).toContain('※送料などの金額が楽天でまだ確定していません。');
    expect(text).toContain('お支払い金額未確定');
    expect(text).toContain(
      '※代金引換の金額が確定していません。金額が確定するまで発送しないでください。',
    );
  });

  it('the same order gives the same bytes', async () => {
    expect((await renderPackingSlip(base)).equals(giftPdf)).toBe(true);
  });

  it('refuses an order without v2 details', async () => {
    await expect(renderPackingSlip({ ...base, warehouse: null })).rejects.toBeInstanceOf(
      PackingSlipUnavailableError,
    );
  });
});
