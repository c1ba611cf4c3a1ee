/**
 * The chaos checker: compares what the Rakuten simulator holds with what the platform published
 * on Kafka, after a run in which services, the broker and the database were killed. Pure: the
 * caller gathers the inputs (tools/chaos/chaos.ts does, for `npm run chaos` and for the system
 * spec apps/system-tests/src/chaos.system-spec.ts), so the rules can be read and unit-tested
 * on their own.
 *
 * Every count in `ChaosCounts` must be 0.
 */

/** One simulator shop's orders, as `GET /__sim/shops/:shopId/orders` lists them. */
export interface SimOrderInput {
  orderNumber: string;
  progress: number;
  /** Cash on delivery (settlement method 2); absent from simulators that do not say. */
  cashOnDelivery?: boolean;
  /** OrderModel.requestPrice: what a COD carrier must collect; null while not fixed. */
  requestPrice?: number | null;
  packages: {
    basketId: number;
    lines: { manageNumber: string; variantId: string | null; units: number }[];
    shipping: { deliveryCompany: string | null; shippingNumber: string | null }[];
  }[];
}

/** A shipping record as the simulator logged it (`GET /__sim/shops/:shopId/shipping-reports`). */
export interface SimShippingReportInput {
  orderNumber: string;
  basketId: number;
  action: 'added' | 'updated' | 'deleted';
  shippingNumber: string | null;
}

/** A stock row as the simulator holds it (`GET /__sim/shops/:shopId/stock`). */
export interface SimStockInput {
  manageNumber: string;
  variantId: string;
  quantity: number;
}

/** A Kafka message as read back from a topic. */
export interface PublishedMessage {
  topic: string;
  partition: number;
  offset: string;
  value: string | null;
}

/** One shop of the run: the simulator's side and the platform's shop connection id. */
export interface ShopInput {
  simShopId: string;
  /** The shop connection id the platform's events carry as `shopId`. */
  connectionId: string;
  tenantId: string;
  /** The orders the run generated in the simulator (all in 300 when generated). */
  generated: string[];
  orders: SimOrderInput[];
  reports: SimShippingReportInput[];
  stock: SimStockInput[];
}

/** A SKU's stock as the platform shows it at the end (`GET /inventory`). */
export interface StockLevelInput {
  tenantId: string;
  skuCode: string;
  onHand: number;
  reserved: number;
  available: number;
}

export interface CheckerInput {
  shops: ShopInput[];
  /** Messages of order.pulled, shipment.ready, order.shipped and listing.stock.changed. */
  messages: PublishedMessage[];
  /** The stock each SKU was given at the start, per tenant: `tenantId → skuCode → units`. */
  initialStock: Record<string, Record<string, number>>;
  /** The platform's stock at the end. */
  stockLevels: StockLevelInput[];
}

/** The counts that must all be 0. */
export interface ChaosCounts {
  /** Generated orders without order.pulled, without shipment.ready for every package, or not shipped on Rakuten at the end. */
  ordersLost: number;
  /**
   * Packages dispatched more than once: a fulfillment order with more than one shipment.ready
   * (distinct event ids), or more fulfillment orders than one whole package or the two parts of
   * a split one (in_stock + back_order).
   */
  duplicateShipmentReady: number;
  /**
   * Cash-on-delivery orders whose shipment.ready amounts to collect do not add up to the order's
   * requestPrice, and other orders with an amount to collect.
   */
  codAmountsWrong: number;
  /** Tracking numbers Rakuten received more than once for one package. */
  duplicateTrackingReports: number;
  /** Tracking numbers the platform published (order.shipped) that Rakuten does not hold. */
  missingTrackingReports: number;
  /** Tracking numbers Rakuten holds that the platform never published. */
  unexpectedTrackingReports: number;
  /** Listings whose quantity on Rakuten differs from the last one the platform published, plus SKUs whose available stock differs from start − shipped. */
  stockValuesDiffer: number;
}

export interface ChaosReport {
  counts: ChaosCounts;
  /** Figures for the reader: how much went through, how much was redelivered. */
  figures: {
    ordersGenerated: number;
    packages: number;
    orderPulledEvents: number;
    shipmentReadyEvents: number;
    orderShippedEvents: number;
    listingStockEvents: number;
    /** The same event id published more than once (outbox relay crash between send and mark). */
    redeliveredEvents: number;
    trackingNumbersOnRakuten: number;
    /** Packages that shipped in two parts (split shipments). */
    splitPackages: number;
    /** Cash-on-delivery orders checked. */
    codOrders: number;
    listingsCompared: number;
    skusCompared: number;
  };
  /** Up to 20 examples per non-zero count, for the operator. */
  examples: Partial<Record<keyof ChaosCounts, string[]>>;
  ok: boolean;
}

interface Envelope {
  id: string;
  shopId: string | null;
  tenantId: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: any;
}

function parse(message: PublishedMessage): Envelope | null {
  if (!message.value) return null;
  try {
    return JSON.parse(message.value) as Envelope;
  } catch {
    return null;
  }
}

export function checkChaos(input: CheckerInput): ChaosReport {
  const examples: Partial<Record<keyof ChaosCounts, string[]>> = {};
  const note = (count: keyof ChaosCounts, text: string) => {
    const list = (examples[count] ??= []);
    if (list.length < 20) list.push(text);
  };

  // Events by topic, each event id once (a redelivered id is the same event).
  const seen = new Set<string>();
  let redelivered = 0;
  const byTopic = new Map<string, { offset: bigint; partition: number; event: Envelope }[]>();
  for (const message of input.messages) {
    const event = parse(message);
    if (!event) continue;
    const key = `${message.topic}|${event.id}`;
    if (seen.has(key)) {
      redelivered++;
      continue;
    }
    seen.add(key);
    const list = byTopic.get(message.topic) ?? [];
    list.push({ offset: BigInt(message.offset), partition: message.partition, event });
    byTopic.set(message.topic, list);
  }
  const events = (topic: string) => byTopic.get(topic) ?? [];

  const shopByConnection = new Map(input.shops.map((shop) => [shop.connectionId, shop]));
  const pulled = new Set<string>();
  for (const { event } of events('order.pulled')) {
    pulled.add(`${event.shopId}|${event.data?.order?.orderNumber}`);
  }
  // shipment.ready per package: its fulfillment orders, each with its events and part.
  interface Dispatch {
    events: number;
    part: string;
    lines: { skuCode: string; quantity: number }[];
    amountToCollect: number | null;
  }
  const ready = new Map<string, Map<string, Dispatch>>();
  const readyByFo = new Map<string, Dispatch>();
  for (const { event } of events('shipment.ready')) {
    const ref = event.data?.shopRef ?? {};
    const key = `${event.shopId}|${ref.orderNumber}|${ref.basketId}`;
    const fos = ready.get(key) ?? new Map<string, Dispatch>();
    const foId = String(event.data?.fulfillmentOrderId);
    const entry = fos.get(foId);
    if (entry) entry.events++;
    else {
      // The first dispatch of a fulfillment order is what the warehouse shipped.
      const dispatch: Dispatch = {
        events: 1,
        part: String(event.data?.part?.kind ?? 'whole'),
        lines: event.data?.lines ?? [],
        amountToCollect:
          typeof event.data?.payment?.amountToCollect === 'number'
            ? event.data.payment.amountToCollect
            : null,
      };
      fos.set(foId, dispatch);
      readyByFo.set(foId, dispatch);
    }
    ready.set(key, fos);
  }
  // order.shipped per package: the tracking numbers the platform asked Rakuten to hold.
  const shipped = new Map<string, Set<string>>();
  for (const { event } of events('order.shipped')) {
    const data = event.data ?? {};
    const key = `${event.shopId}|${data.orderNumber}|${data.basketId}`;
    const numbers = shipped.get(key) ?? new Set<string>();
    for (const parcel of (data.parcels ?? []) as { trackingNumber: string }[]) {
      numbers.add(parcel.trackingNumber);
    }
    shipped.set(key, numbers);
  }

  const counts: ChaosCounts = {
    ordersLost: 0,
    duplicateShipmentReady: 0,
    codAmountsWrong: 0,
    duplicateTrackingReports: 0,
    missingTrackingReports: 0,
    unexpectedTrackingReports: 0,
    stockValuesDiffer: 0,
  };
  let packages = 0;
  let trackingOnRakuten = 0;
  let splitPackages = 0;
  let codOrders = 0;

  for (const shop of input.shops) {
    const orders = new Map(shop.orders.map((order) => [order.orderNumber, order]));
    const addedPerBasket = new Map<string, Map<string, number>>();
    for (const report of shop.reports) {
      if (report.action !== 'added' || !report.shippingNumber) continue;
      const key = `${report.orderNumber}|${report.basketId}`;
      const perNumber = addedPerBasket.get(key) ?? new Map<string, number>();
      perNumber.set(report.shippingNumber, (perNumber.get(report.shippingNumber) ?? 0) + 1);
      addedPerBasket.set(key, perNumber);
    }

    for (const orderNumber of shop.generated) {
      const order = orders.get(orderNumber);
      const problems: string[] = [];
      if (!order) problems.push('gone from the simulator');
      if (!pulled.has(`${shop.connectionId}|${orderNumber}`)) problems.push('no order.pulled');
      let collected = 0;
      let dispatchedAny = false;
      for (const pkg of order?.packages ?? []) {
        packages++;
        const key = `${shop.connectionId}|${orderNumber}|${pkg.basketId}`;
        const dispatched = ready.get(key);
        if (!dispatched) problems.push(`basket ${pkg.basketId}: no shipment.ready`);
        else {
          const parts = [...dispatched.values()].map((dispatch) => dispatch.part).sort();
          const split = parts.join(',') === 'back_order,in_stock';
          if (split) splitPackages++;
          const repeated = [...dispatched.values()].some((dispatch) => dispatch.events > 1);
          if (repeated || !(split || parts.join(',') === 'whole')) {
            counts.duplicateShipmentReady++;
            note(
              'duplicateShipmentReady',
              `${orderNumber} basket ${pkg.basketId}: fulfillment orders ${[...dispatched.entries()].map(([id, d]) => `${id} (${d.part}, ${d.events} events)`).join(', ')}`,
            );
          }
          dispatchedAny = true;
          for (const dispatch of dispatched.values()) collected += dispatch.amountToCollect ?? 0;
        }

        const expected = shipped.get(key) ?? new Set<string>();
        const held = pkg.shipping
          .map((record) => record.shippingNumber)
          .filter((number): number is string => !!number);
        trackingOnRakuten += held.length;
        const heldCount = new Map<string, number>();
        for (const number of held) heldCount.set(number, (heldCount.get(number) ?? 0) + 1);
        const added = addedPerBasket.get(`${orderNumber}|${pkg.basketId}`) ?? new Map();
        for (const number of new Set([...heldCount.keys(), ...added.keys()])) {
          const times = Math.max(heldCount.get(number) ?? 0, added.get(number) ?? 0);
          if (times > 1) {
            counts.duplicateTrackingReports++;
            note(
              'duplicateTrackingReports',
              `${orderNumber} basket ${pkg.basketId}: ${number} ×${times}`,
            );
          }
        }
        for (const number of expected) {
          if (!heldCount.has(number)) {
            counts.missingTrackingReports++;
            note('missingTrackingReports', `${orderNumber} basket ${pkg.basketId}: ${number}`);
          }
        }
        for (const number of heldCount.keys()) {
          if (!expected.has(number)) {
            counts.unexpectedTrackingReports++;
            note('unexpectedTrackingReports', `${orderNumber} basket ${pkg.basketId}: ${number}`);
          }
        }
        if (expected.size === 0)
          problems.push(`basket ${pkg.basketId}: never shipped (no order.shipped)`);
      }
      if (order && order.progress !== 500) problems.push(`still ${order.progress} on Rakuten`);
      if (order?.cashOnDelivery !== undefined) {
        if (order.cashOnDelivery) codOrders++;
        const expected = order.cashOnDelivery ? order.requestPrice : 0;
        if (dispatchedAny && collected !== expected) {
          counts.codAmountsWrong++;
          note(
            'codAmountsWrong',
            `${orderNumber}: ${order.cashOnDelivery ? 'cash on delivery' : 'prepaid'}, to collect ${collected}, request price ${order.requestPrice}`,
          );
        }
      }
      if (problems.length > 0) {
        counts.ordersLost++;
        note('ordersLost', `${shop.simShopId} ${orderNumber}: ${problems.join('; ')}`);
      }
    }
  }

  // Stock: the last listing quantity the platform published per listing (highest offset; a
  // listing's events share a key, so one partition) against what Rakuten shows.
  const lastListing = new Map<string, { offset: bigint; quantity: number }>();
  for (const { offset, event } of events('listing.stock.changed')) {
    const data = event.data ?? {};
    const key = `${event.shopId}|${String(data.manageNumber).toLowerCase()}|${data.variantId}`;
    const previous = lastListing.get(key);
    if (!previous || previous.offset < offset) {
      lastListing.set(key, { offset, quantity: Number(data.quantity) });
    }
  }
  for (const [key, { quantity }] of lastListing) {
    const [connectionId, manageNumber, variantId] = key.split('|');
    const shop = shopByConnection.get(connectionId);
    if (!shop) continue;
    const row = shop.stock.find(
      (candidate) =>
        candidate.manageNumber.toLowerCase() === manageNumber && candidate.variantId === variantId,
    );
    if (!row || row.quantity !== quantity) {
      counts.stockValuesDiffer++;
      note(
        'stockValuesDiffer',
        `${shop.simShopId} ${manageNumber}/${variantId}: Rakuten ${row?.quantity ?? 'none'}, platform published ${quantity}`,
      );
    }
  }

  // And the platform's own books: available = given − units of every shipped fulfillment order
  // (both parts of a split package).
  const shippedUnits = new Map<string, number>();
  const shippedFos = new Set<string>();
  for (const { event } of events('order.shipped')) {
    const foId = String(event.data?.fulfillmentOrderId);
    if (shippedFos.has(foId)) continue;
    shippedFos.add(foId);
    const tenantId = shopByConnection.get(String(event.shopId))?.tenantId;
    for (const line of readyByFo.get(foId)?.lines ?? []) {
      const skuKey = `${tenantId}|${line.skuCode}`;
      shippedUnits.set(skuKey, (shippedUnits.get(skuKey) ?? 0) + line.quantity);
    }
  }
  let skusCompared = 0;
  for (const level of input.stockLevels) {
    const given = input.initialStock[level.tenantId]?.[level.skuCode];
    if (given === undefined) continue;
    skusCompared++;
    const expected = given - (shippedUnits.get(`${level.tenantId}|${level.skuCode}`) ?? 0);
    if (level.available !== expected || level.onHand !== expected || level.reserved !== 0) {
      counts.stockValuesDiffer++;
      note(
        'stockValuesDiffer',
        `tenant ${level.tenantId} ${level.skuCode}: on hand ${level.onHand}, reserved ${level.reserved}, available ${level.available}; expected ${expected} (given ${given} − shipped)`,
      );
    }
  }

  return {
    counts,
    figures: {
      ordersGenerated: input.shops.reduce((sum, shop) => sum + shop.generated.length, 0),
      packages,
      orderPulledEvents: events('order.pulled').length,
      shipmentReadyEvents: events('shipment.ready').length,
      orderShippedEvents: events('order.shipped').length,
      listingStockEvents: events('listing.stock.changed').length,
      redeliveredEvents: redelivered,
      trackingNumbersOnRakuten: trackingOnRakuten,
      splitPackages,
      codOrders,
      listingsCompared: lastListing.size,
      skusCompared,
    },
    examples,
    ok: Object.values(counts).every((count) => count === 0),
  };
}

/** The report as the operator reads it. */
export function formatReport(report: ChaosReport): string {
  const lines = [
    `  orders lost                        ${report.counts.ordersLost}`,
    `  duplicate shipment.ready           ${report.counts.duplicateShipmentReady}`,
    `  COD amounts wrong                  ${report.counts.codAmountsWrong}`,
    `  duplicate tracking reports         ${report.counts.duplicateTrackingReports}`,
    `  missing tracking reports           ${report.counts.missingTrackingReports}`,
    `  unexpected tracking reports        ${report.counts.unexpectedTrackingReports}`,
    `  stock values that differ           ${report.counts.stockValuesDiffer}`,
    `  (orders ${report.figures.ordersGenerated}, packages ${report.figures.packages}, order.pulled ${report.figures.orderPulledEvents}, shipment.ready ${report.figures.shipmentReadyEvents}, order.shipped ${report.figures.orderShippedEvents}, listing.stock.changed ${report.figures.listingStockEvents}, redelivered event ids ${report.figures.redeliveredEvents}, tracking numbers on Rakuten ${report.figures.trackingNumbersOnRakuten}, split packages ${report.figures.splitPackages}, COD orders ${report.figures.codOrders}, listings compared ${report.figures.listingsCompared}, SKUs compared ${report.figures.skusCompared})`,
  ];
  for (const [count, list] of Object.entries(report.examples)) {
    lines.push(`  e.g. ${count}:`);
    for (const example of list ?? []) lines.push(`    ${example}`);
  }
  lines.push(report.ok ? '  CHECK PASSED: every count is 0' : '  CHECK FAILED');
  return lines.join('\n');
}
