import { readFileSync } from 'node:fs';

import type {
  FulfillmentOrderDetailView,
  Party,
  ShipmentItem,
  WarehouseDetailsView,
} from '@smartship/contracts';
import PDFDocument from 'pdfkit';

import {
  cleanText,
  deliveryLines,
  jstDateTime,
  oneLine,
  partyLines,
  taxRateText,
  yen,
} from './slip-text';

/*
 * The packing slip (納品書) of one fulfillment order: A4, Japanese, drawn with pdfkit. Every value
 * is drawn as text with an embedded font (only the glyphs used: a subset), never interpreted, so a
 * remark like `<script>` prints as those characters. See docs/packing-slip.md.
 */

/**
 * The font: BIZ UDPGothic (Morisawa, SIL Open Font License 1.1) from the npm package
 * @expo-google-fonts/biz-udpgothic, read from node_modules at run time (JIS X 0208 complete,
 * JIS X 0213 kanji, kana, full-width forms). Nothing is downloaded.
 */
export const FONT_PACKAGE = '@expo-google-fonts/biz-udpgothic';
const FONT_FILES = {
  regular: `${FONT_PACKAGE}/400Regular/BIZUDPGothic_400Regular.ttf`,
  bold: `${FONT_PACKAGE}/700Bold/BIZUDPGothic_700Bold.ttf`,
} as const;
/** The font's PostScript names, as they appear (after a subset tag) in the PDF. */
export const FONT_NAMES = { regular: 'BIZUDPGothic-Regular', bold: 'BIZUDPGothic-Bold' } as const;

/** What a character the font has no glyph for is printed as: 〓 (geta), as Japanese print does. */
export const MISSING_GLYPH = '〓';

/** A slip for an order without the v2 details cannot be made. */
export class PackingSlipUnavailableError extends Error {
  constructor(readonly fulfillmentOrderId: string) {
    super(
      `Fulfillment order ${fulfillmentOrderId} was created before packing-slip details were recorded (shipment.ready v1): no packing slip can be made for it`,
    );
    this.name = 'PackingSlipUnavailableError';
  }
}

let fontCache: { regular: Buffer; bold: Buffer } | null = null;

/** The font files, read once per process (about 9 MB; each PDF embeds only what it uses). */
function fonts(): { regular: Buffer; bold: Buffer } {
  fontCache ??= {
    regular: readFileSync(require.resolve(FONT_FILES.regular)),
    bold: readFileSync(require.resolve(FONT_FILES.bold)),
  };
  return fontCache;
}

// A4 in points, and the layout.
const A4: [number, number] = [595.28, 841.89];
const MARGIN = { top: 48, bottom: 56, left: 40, right: 40 };
const WIDTH = A4[0] - MARGIN.left - MARGIN.right;
const BOTTOM = A4[1] - MARGIN.bottom;
const GRAY = '#555555';
const LINE = '#999999';
const BODY = 9.5;

type Doc = PDFKit.PDFDocument;
type Weight = 'regular' | 'bold';

/** The font object pdfkit uses (fontkit's), to ask whether a glyph exists. */
interface GlyphSource {
  _font?: { font?: { hasGlyphForCodePoint?(codePoint: number): boolean } };
}

/**
 * Renders the packing slip of `view` (a fulfillment order with `warehouse` details). Throws
 * PackingSlipUnavailableError when `warehouse` is null (an order from before shipment.ready v2).
 */
export function renderPackingSlip(view: FulfillmentOrderDetailView): Promise<Buffer> {
  const details = view.warehouse;
  if (!details) return Promise.reject(new PackingSlipUnavailableError(view.id));
  const files = fonts();
  const doc = new PDFDocument({
    size: A4,
    margins: MARGIN,
    bufferPages: true,
    autoFirstPage: true,
    lang: 'ja-JP',
    displayTitle: true,
    info: {
      Title: `納品書 ${oneLine(view.orderNumber)}`,
      Creator: 'Smartship',
      // Fixed, so the same order gives the same file.
      CreationDate: new Date(view.createdAt),
    },
  });
  doc.registerFont('regular', files.regular);
  doc.registerFont('bold', files.bold);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  new SlipWriter(doc, view, details).write();
  doc.end();
  return done;
}

/** Draws one slip; `y` is the cursor on the current page. */
class SlipWriter {
  private y = MARGIN.top;
  private readonly noPrices: boolean;

  constructor(
    private readonly doc: Doc,
    private readonly view: FulfillmentOrderDetailView,
    private readonly details: WarehouseDetailsView,
  ) {
    this.noPrices = details.gift.requested;
  }

  write(): void {
    this.header();
    this.parties();
    this.delivery();
    this.items();
    if (!this.noPrices) this.totals();
    this.cashOnDelivery();
    this.slipMessage();
    this.gift();
    this.remarks();
    this.pageFrames();
  }

  // ---- text primitives --------------------------------------------------------------------

  private style(weight: Weight, size: number, color = '#000000'): this {
    this.doc.font(weight).fontSize(size).fillColor(color);
    return this;
  }

  /** Text the current font can draw: cleaned, each character without a glyph made 〓. */
  private printable(value: string): string {
    const font = (this.doc as unknown as GlyphSource)._font?.font;
    const text = cleanText(value);
    if (!font?.hasGlyphForCodePoint) return text;
    let out = '';
    for (const char of text) {
      const code = char.codePointAt(0) ?? 0;
      out +=
        char === '\n' || char === ' ' || font.hasGlyphForCodePoint(code) ? char : MISSING_GLYPH;
    }
    return out;
  }

  /** Draws text at (x, y) in a box `width` wide; returns its height. Never starts a page. */
  private put(
    value: string,
    x: number,
    y: number,
    width: number,
    align: 'left' | 'right' | 'center' = 'left',
  ): number {
    const text = this.printable(value);
    if (!text) return 0;
    const options = { width, align, lineGap: 1 };
    const height = this.doc.heightOfString(text, options);
    this.doc.text(text, x, y, { ...options, height: height + 2 });
    return height;
  }

  private measure(value: string, width: number): number {
    const text = this.printable(value);
    return text ? this.doc.heightOfString(text, { width, lineGap: 1 }) : 0;
  }

  /** Starts a new page when `height` does not fit below the cursor. */
  private ensure(height: number): void {
    if (this.y + height <= BOTTOM) return;
    this.doc.addPage();
    this.y = MARGIN.top;
  }

  private rule(y: number, x = MARGIN.left, width = WIDTH, color = LINE): void {
    this.doc
      .moveTo(x, y)
      .lineTo(x + width, y)
      .lineWidth(0.6)
      .strokeColor(color)
      .stroke();
  }

  private heading(title: string): void {
    this.ensure(40);
    this.style('bold', 10.5);
    this.y += this.put(title, MARGIN.left, this.y, WIDTH) + 2;
    this.rule(this.y);
    this.y += 5;
  }

  // ---- sections ----------------------------------------------------------------------------

  /** Title, order facts (number, date, revision, split part) and the shop's block top right. */
  private header(): void {
    const left = MARGIN.left;
    const top = this.y;
    this.style('bold', 22);
    let y = top + this.put('納品書', left, top, 200);
    if (this.details.gift.requested) {
      this.style('bold', 10);
      const x = left + 100;
      this.doc
        .roundedRect(x, top + 4, 46, 18, 3)
        .lineWidth(1)
        .strokeColor('#000000')
        .stroke();
      this.put('ギフト', x, top + 8, 46, 'center');
    }
    y += 8;
    const facts: [string, string][] = [
      ['ご注文番号', oneLine(this.view.orderNumber)],
      ['ご注文日時', jstDateTime(this.details.orderedAt)],
      ['送付先ID', String(this.view.basketId)],
    ];
    if (this.view.revision > 1) {
      facts.push(['注文の版', `第${this.view.revision}版（注文内容の変更後）`]);
    }
    const part = this.details.part;
    if (part.kind === 'in_stock') facts.push(['分割出荷', '1/2（在庫のある商品を先にお届け）']);
    if (part.kind === 'back_order') facts.push(['分割出荷', '2/2（残りの商品）']);
    for (const [label, value] of facts) {
      this.style('regular', 8.5, GRAY);
      this.put(label, left, y, 70);
      this.style(label === '分割出荷' || label === '注文の版' ? 'bold' : 'regular', BODY);
      y += Math.max(this.put(value, left + 72, y, 230), 10) + 3;
    }

    // The shop (or the orderer when the shop set no sender block), top right.
    const sender = partyLines(this.details.sender);
    const x = MARGIN.left + WIDTH - 210;
    let sy = top + 4;
    this.style('bold', 11);
    sy += this.put(sender.name, x, sy, 210) + 3;
    this.style('regular', 8.5);
    for (const line of sender.lines) sy += this.put(line, x, sy, 210) + 1;
    this.y = Math.max(y, sy) + 10;
    this.style('regular', BODY);
    this.y +=
      this.put(
        'このたびはお買い上げいただき、誠にありがとうございます。下記のとおり商品をお届けいたします。',
        MARGIN.left,
        this.y,
        WIDTH,
      ) + 10;
  }

  /** お届け先 (recipient) and ご注文者 (orderer), side by side. */
  private parties(): void {
    const half = (WIDTH - 16) / 2;
    const boxes: [string, Party][] = [
      ['お届け先', this.view.recipient],
      ['ご注文者', this.details.orderer],
    ];
    const heights = boxes.map(([, party]) => this.partyHeight(party, half - 16));
    const height = Math.max(...heights) + 26;
    this.ensure(height);
    boxes.forEach(([title, party], i) => {
      const x = MARGIN.left + i * (half + 16);
      this.doc.rect(x, this.y, half, height).lineWidth(0.6).strokeColor(LINE).stroke();
      this.style('bold', 8.5, GRAY);
      let y = this.y + 6;
      y += this.put(title, x + 8, y, half - 16) + 3;
      this.drawParty(party, x + 8, y, half - 16);
    });
    this.y += height + 8;
  }

  private partyHeight(party: Party, width: number): number {
    const { name, lines } = partyLines(party);
    this.style('bold', 11);
    let height = this.measure(`${name} 様`, width) + 2;
    this.style('regular', 8.5);
    if (party.nameKana) height += this.measure(oneLine(party.nameKana), width);
    for (const line of lines) height += this.measure(line, width) + 1;
    return height;
  }

  private drawParty(party: Party, x: number, y: number, width: number): void {
    const { name, lines } = partyLines(party);
    this.style('bold', 11);
    y += this.put(`${name} 様`, x, y, width) + 2;
    this.style('regular', 8.5, GRAY);
    if (party.nameKana) y += this.put(oneLine(party.nameKana), x, y, width);
    this.style('regular', 8.5);
    for (const line of lines) y += this.put(line, x, y, width) + 1;
  }

  private delivery(): void {
    const lines = deliveryLines(this.details.delivery.requested, this.details.delivery.fromRemarks);
    if (lines.length === 0) return;
    this.style('regular', BODY);
    for (const line of lines) {
      const height = this.measure(line, WIDTH);
      this.ensure(height);
      this.y += this.put(line, MARGIN.left, this.y, WIDTH) + 2;
    }
    this.y += 6;
  }

  /** Column layout of the lines table; a gift slip has no price columns. */
  private columns(): {
    name: number;
    units: number;
    price?: number;
    rate?: number;
    amount?: number;
  } {
    if (this.noPrices) return { name: WIDTH - 60, units: 60 };
    return { name: WIDTH - 250, units: 50, price: 75, rate: 45, amount: 80 };
  }

  private tableHeader(): void {
    const cols = this.columns();
    this.ensure(40);
    this.doc.rect(MARGIN.left, this.y, WIDTH, 18).fillColor('#eeeeee').fill();
    this.style('bold', 8.5);
    let x = MARGIN.left;
    const y = this.y + 5;
    this.put('商品名', x + 4, y, cols.name - 8);
    x += cols.name;
    this.put('数量', x, y, cols.units - 4, 'right');
    x += cols.units;
    if (cols.price && cols.rate && cols.amount) {
      this.put('単価(税込)', x, y, cols.price - 4, 'right');
      x += cols.price;
      this.put('税率', x, y, cols.rate - 4, 'right');
      x += cols.rate;
      this.put('金額', x, y, cols.amount - 4, 'right');
    }
    this.y += 18;
  }

  /** The item's option lines: selected choices, the variation (skuInfo) and 商品番号. */
  private itemDetails(item: ShipmentItem): string {
    const parts = [cleanText(item.selectedChoice), cleanText(item.skuInfo)].filter(Boolean);
    if (item.itemNumber) parts.push(`商品番号: ${oneLine(item.itemNumber)}`);
    return parts.join('\n');
  }

  private items(): void {
    const cols = this.columns();
    this.tableHeader();
    let reducedRate = false;
    for (const item of this.details.items) {
      const name = oneLine(item.itemName);
      const detail = this.itemDetails(item);
      this.style('regular', BODY);
      const nameHeight = this.measure(name, cols.name - 8);
      this.style('regular', 8, GRAY);
      const detailHeight = detail ? this.measure(detail, cols.name - 16) + 2 : 0;
      const height = nameHeight + detailHeight + 10;
      if (this.y + height > BOTTOM) {
        this.doc.addPage();
        this.y = MARGIN.top;
        this.tableHeader();
      }
      const y = this.y + 5;
      let x = MARGIN.left;
      this.style('regular', BODY);
      this.put(name, x + 4, y, cols.name - 8);
      if (detail) {
        this.style('regular', 8, GRAY);
        this.put(detail, x + 12, y + nameHeight + 2, cols.name - 16);
      }
      this.style('regular', BODY);
      x += cols.name;
      this.put(String(item.units), x, y, cols.units - 4, 'right');
      x += cols.units;
      if (cols.price && cols.rate && cols.amount) {
        this.put(yen(item.unitPrice), x, y, cols.price - 4, 'right');
        x += cols.price;
        this.put(taxRateText(item.taxRate), x, y, cols.rate - 4, 'right');
        x += cols.rate;
        this.put(yen(item.unitPrice * item.units), x, y, cols.amount - 4, 'right');
      }
      if (item.taxRate !== null && item.taxRate > 0 && item.taxRate < 0.1) reducedRate = true;
      this.y += height;
      this.rule(this.y);
    }
    this.y += 4;
    if (reducedRate && !this.noPrices) {
      this.style('regular', 8, GRAY);
      this.y += this.put('※は軽減税率（8%）対象商品です。', MARGIN.left, this.y, WIDTH) + 2;
    }
    if (this.noPrices) {
      this.style('regular', 8, GRAY);
      this.y += this.put('ギフトのため金額は記載しておりません。', MARGIN.left, this.y, WIDTH) + 2;
    }
    this.y += 6;
  }

  /** The order's amounts (order level; a split parcel says so). */
  private totals(): void {
    const t = this.details.totals;
    const rows: [string, string, boolean][] = [['商品合計', yen(t.goodsPrice), false]];
    rows.push(['送料', yen(t.postagePrice), false]);
    if (t.deliveryPrice) rows.push(['代引手数料', yen(t.deliveryPrice), false]);
    if (t.paymentCharge) rows.push(['決済手数料', yen(t.paymentCharge), false]);
    if (t.wrappingPrice) rows.push(['ラッピング', yen(t.wrappingPrice), false]);
    rows.push(['合計', yen(t.totalPrice), true]);
    if (t.usedPoints) rows.push(['ポイント利用', yen(-t.usedPoints), false]);
    if (t.couponTotal) rows.push(['クーポン利用', yen(-t.couponTotal), false]);
    rows.push(['ご請求額', yen(t.requestPrice), true]);
    const unfixed = t.postagePrice === null || t.totalPrice === null || t.requestPrice === null;
    const width = 240;
    const x = MARGIN.left + WIDTH - width;
    const split = this.details.part.kind !== 'whole';
    this.ensure(rows.length * 16 + (split ? 16 : 0) + (unfixed ? 16 : 0) + 4);
    for (const [label, value, strong] of rows) {
      this.style(strong ? 'bold' : 'regular', strong ? 10.5 : BODY);
      if (strong) this.rule(this.y - 2, x, width, '#000000');
      this.put(label, x + 4, this.y + 2, 120);
      this.put(value, x + 120, this.y + 2, width - 124, 'right');
      this.y += 16;
    }
    if (unfixed) {
      this.style('bold', 8.5, '#b3261e');
      this.y +=
        this.put('※ 送料などの金額が楽天でまだ確定していません。', x, this.y + 2, width, 'right') +
        4;
    }
    if (split) {
      this.style('regular', 8, GRAY);
      this.y +=
        this.put('※ 金額はご注文全体の金額です（分割出荷）。', x, this.y + 2, width, 'right') + 4;
    }
    this.y += 8;
  }

  /** 代金引換: the amount the carrier collects, in a box that cannot be missed. */
  private cashOnDelivery(): void {
    const payment = this.details.payment;
    if (!payment.cashOnDelivery) return;
    const height = 54;
    this.ensure(height + 24);
    const x = MARGIN.left;
    this.doc.rect(x, this.y, WIDTH, height).lineWidth(2).strokeColor('#000000').stroke();
    this.style('bold', 13);
    this.put('代金引換', x + 12, this.y + 10, 100);
    this.style('regular', 8.5);
    this.put('商品お受け取りの際に配達員へお支払いください。', x + 12, this.y + 32, 220);
    this.style('bold', 12);
    this.put('お支払い金額', x + 230, this.y + 18, 90);
    this.style('bold', 20);
    this.put(yen(payment.amountToCollect), x + 300, this.y + 14, WIDTH - 312, 'right');
    this.y += height + 4;
    if (payment.amountToCollect === null) {
      // Rakuten has not fixed the amount: the parcel must not go out with a guess.
      this.style('bold', 9, '#b3261e');
      this.y +=
        this.put(
          '※ 代金引換の金額が確定していません。金額が確定するまで発送しないでください。',
          x,
          this.y,
          WIDTH,
        ) + 4;
    }
    this.y += 6;
  }

  /** The shop's note from its fulfillment settings (e.g. a thank-you line). */
  private slipMessage(): void {
    const message = cleanText(this.details.slipMessage).trim();
    if (!message) return;
    this.style('regular', BODY);
    const height = this.measure(message, WIDTH);
    this.ensure(Math.min(height, 200) + 8);
    this.doc.text(this.printable(message), MARGIN.left, this.y, { width: WIDTH, lineGap: 1 });
    this.y = this.doc.y + 10;
  }

  /** Wrappings and のし for the packer (a gift slip also prints no prices, see `noPrices`). */
  private gift(): void {
    const gift = this.details.gift;
    if (!gift.requested && gift.wrappings.length === 0 && !gift.noshi) return;
    this.heading(gift.requested ? 'ギフト' : 'ラッピング・のし');
    const lines: [string, string][] = [];
    for (const wrapping of gift.wrappings) {
      lines.push([wrapping.kind === 'ribbon' ? 'リボン' : 'ラッピング', oneLine(wrapping.name)]);
    }
    if (gift.noshi) lines.push(['のし', cleanText(gift.noshi)]);
    if (lines.length === 0) lines.push(['ギフト', 'ご指定のラッピング・のしはありません']);
    for (const [label, value] of lines) {
      this.style('regular', BODY);
      const height = this.measure(value, WIDTH - 90);
      this.ensure(height + 4);
      this.style('bold', BODY);
      this.put(label, MARGIN.left, this.y, 86);
      this.style('regular', BODY);
      this.y += this.put(value, MARGIN.left + 90, this.y, WIDTH - 90) + 4;
    }
    this.y += 6;
  }

  /** The buyer's remarks as written, wrapped; a long one continues on the next pages. */
  private remarks(): void {
    const remarks = cleanText(this.details.remarks).trim();
    if (!remarks) return;
    this.heading('備考（お客様より）');
    this.style('regular', BODY);
    // Flowing text: pdfkit wraps it and starts new pages at the bottom margin by itself.
    this.doc.text(this.printable(remarks), MARGIN.left, this.y, { width: WIDTH, lineGap: 1.5 });
    this.y = this.doc.y + 8;
  }

  /** Each page: page n / N at the foot; from page 2 on, which slip it continues at the head. */
  private pageFrames(): void {
    const range = this.doc.bufferedPageRange();
    const number = oneLine(this.view.orderNumber);
    for (let i = range.start; i < range.start + range.count; i++) {
      this.doc.switchToPage(i);
      const page = i - range.start + 1;
      // Drawing in the margins must not make pdfkit start a page.
      const margins = { ...this.doc.page.margins };
      this.doc.page.margins = { top: 0, bottom: 0, left: margins.left, right: margins.right };
      this.style('regular', 8, GRAY);
      if (page > 1) {
        this.put(`納品書（続き）ご注文番号 ${number}`, MARGIN.left, 24, WIDTH);
      }
      this.put(`${page} / ${range.count}`, MARGIN.left, A4[1] - 36, WIDTH, 'center');
      this.doc.page.margins = margins;
    }
  }
}
