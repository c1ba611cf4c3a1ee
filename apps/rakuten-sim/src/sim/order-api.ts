import { RAKUTEN_CARRIER_CODES } from '@smartship/contracts';
import {
  isCompactRmsDate,
  isRmsDate,
  isRmsDateTime,
  LATEST_ORDER_VERSION,
  OLDEST_ORDER_VERSION,
  ORDER_CODES,
  parseRmsDate,
  parseRmsDateTime,
  RMS_LIMITS,
  type MessageModel,
  type ResultShippingModel,
  type ShippingUpdateModel,
  type UpdateOrderShippingRequest,
} from '@smartship/rakuten';

import { renderOrderModel } from './order-render';
import { json, message, type SimResponse } from './sim-http';
import type { SimAsyncRequest, SimOrder, SimShop } from './sim-state';
import type { SimStore } from './sim-store';

/*
 * The RakutenPay Order API 2.0 functions (docs/rakuten-rms.md §2, §3). Where the fact sheet gives a
 * code, it is used; where it says [NF], the stand-in is marked "invented" here and in the README.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const P = 'ORDER_EXT_API_';

/** Codes the fact sheet does not give; named by RMS's pattern. Invented. */
const INVENTED = {
  GET_FORMAT: `${P}GET_ORDER_ERROR_011`,
  CONFIRM_REQUIRED: `${P}CONFIRM_ORDER_ERROR_009`,
  CONFIRM_FORMAT: `${P}CONFIRM_ORDER_ERROR_011`,
  CONFIRM_NOT_FOUND: `${P}CONFIRM_ORDER_ERROR_101`,
  CANCEL_REQUIRED: `${P}CANCEL_ORDER_ERROR_009`,
  CANCEL_FORMAT: `${P}CANCEL_ORDER_ERROR_011`,
  CANCEL_NOT_FOUND: `${P}CANCEL_ORDER_ERROR_101`,
  CANCEL_NOT_ALLOWED: `${P}CANCEL_ORDER_ERROR_102`,
  SHIPPING_REQUIRED: `${P}UPDATE_ORDERSHIPPING_ERROR_009`,
  /** ERROR_101 exists (changelog v4.5), meaning [NF]: used for "order not in a shippable state". */
  SHIPPING_NOT_ALLOWED: `${P}UPDATE_ORDERSHIPPING_ERROR_101`,
  RESULT_REQUIRED: `${P}GET_RESULT_UPDATEORDERSHIPPING_ASYNC_ERROR_009`,
};

type Body = Record<string, unknown>;

function isBody(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RMS appears to coerce numeric strings (docs/rakuten-rms.md §6), so "7" counts as 7. */
function asInt(value: unknown): number | null {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return null;
}

// ---- searchOrder ----------------------------------------------------------------------------

function searchError(code: string, text: string): SimResponse {
  return json(400, {
    orderNumberList: null,
    MessageModelList: [message('ERROR', code, text)],
    PaginationResponseModel: null,
  });
}

/** The date an order is searched by for each dateType (6 決済確定日 approximated by 注文確定日). */
function searchDate(order: SimOrder, dateType: number): number | null {
  switch (dateType) {
    case 1:
      return order.orderedAt;
    case 2:
      return order.confirmedAt;
    case 3:
    case 6:
      return order.fixedAt;
    case 4: {
      const dates = order.packages
        .flatMap((p) => p.shipping)
        .map((s) =>
          s.shippingDate && isRmsDate(s.shippingDate)
            ? parseRmsDate(s.shippingDate).getTime()
            : null,
        )
        .filter((d): d is number => d !== null);
      return dates.length > 0 ? Math.max(...dates) : null;
    }
    case 5:
      return order.shippingReportedAt;
    default:
      return null;
  }
}

function firstAtOrAfter(orders: SimOrder[], time: number): number {
  let lo = 0;
  let hi = orders.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (orders[mid].orderedAt < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function searchOrder(store: SimStore, shop: SimShop, body: unknown): SimResponse {
  const settings = store.settings;
  if (!isBody(body))
    return searchError(ORDER_CODES.SEARCH_REQUIRED, 'dateTypeの項目を指定して下さい。');
  if (body.dateType === undefined || body.dateType === null) {
    return searchError(ORDER_CODES.SEARCH_REQUIRED, 'dateTypeの項目を指定して下さい。');
  }
  const dateType = asInt(body.dateType);
  if (dateType === null || dateType < 1 || dateType > 6) {
    return searchError(ORDER_CODES.SEARCH_FORMAT, 'dateTypeの値が不正です。');
  }
  const bounds: number[] = [];
  for (const field of ['startDatetime', 'endDatetime'] as const) {
    const value = body[field];
    if (value === undefined || value === null) {
      return searchError(ORDER_CODES.SEARCH_REQUIRED, `${field}の項目を指定して下さい。`);
    }
    if (value === '')
      return searchError(ORDER_CODES.SEARCH_VALUE_MISSING, `${field}の値を指定して下さい。`);
    // Only `+0900`: `+09:00`, `Z`, no offset, date-only and slashes are all refused (S9, S10).
    if (!isRmsDateTime(value))
      return searchError(ORDER_CODES.SEARCH_FORMAT, `${field}の書式が不正です。`);
    bounds.push(parseRmsDateTime(value).getTime());
  }
  const [start, end] = bounds;
  if (end < start) {
    return searchError(
      settings.searchWindowTooLongCode,
      'endDatetimeはstartDatetime以降を指定して下さい。',
    );
  }
  if (end - start > RMS_LIMITS.searchWindowDays * DAY_MS) {
    return searchError(
      settings.searchWindowTooLongCode,
      'startDatetimeとendDatetimeの期間は63日以内で指定して下さい。',
    );
  }
  if (start < store.now() - RMS_LIMITS.searchLookbackDays * DAY_MS) {
    return searchError(settings.searchTooOldCode, 'startDatetimeは730日以内で指定して下さい。');
  }
  const paging = isBody(body.PaginationRequestModel) ? body.PaginationRequestModel : {};
  const size = paging.requestRecordsAmount === undefined ? 30 : asInt(paging.requestRecordsAmount);
  if (size === null || size < 1 || size > RMS_LIMITS.searchPageSize) {
    return searchError(ORDER_CODES.SEARCH_FORMAT, 'requestRecordsAmountの値が不正です。');
  }
  const page = paging.requestPage === undefined ? 1 : asInt(paging.requestPage);
  if (page === null || page < 1)
    return searchError(ORDER_CODES.SEARCH_FORMAT, 'requestPageの値が不正です。');
  const sort = Array.isArray(paging.SortModelList) ? (paging.SortModelList as Body[]) : [];
  const descending = sort.length > 0 && asInt(sort[0].sortDirection) === 2;

  const progressList = Array.isArray(body.orderProgressList)
    ? body.orderProgressList.map(asInt)
    : null;
  const subStatusList = Array.isArray(body.subStatusIdList)
    ? body.subStatusIdList.map(asInt)
    : null;
  if (subStatusList?.includes(-1) && !progressList) {
    return searchError(ORDER_CODES.SEARCH_REQUIRED, 'orderProgressListの項目を指定して下さい。');
  }
  const typeList = Array.isArray(body.orderTypeList) ? body.orderTypeList.map(asInt) : null;
  const settlement = body.settlementMethod === undefined ? null : asInt(body.settlementMethod);
  const shippingDateBlank = asInt(body.shippingDateBlankFlag) === 1;
  const shippingNumberBlank = asInt(body.shippingNumberBlankFlag) === 1;
  const endInclusive = end + 999;

  // Orders are kept ascending by order date-time, so dateType 1 is a binary-searched range; with
  // no other filter the page is cut straight from it (the benchmark's common case).
  const lo = dateType === 1 ? firstAtOrAfter(shop.orders, start) : 0;
  const hi = dateType === 1 ? firstAtOrAfter(shop.orders, endInclusive + 1) : shop.orders.length;
  const filtered =
    dateType !== 1 ||
    progressList ||
    subStatusList ||
    typeList ||
    settlement !== null ||
    shippingDateBlank ||
    shippingNumberBlank;
  // Matches are addressed by position k (0 = first in the requested sort order). Without filters
  // they are a range of the shop's list and nothing is copied; with filters they are collected.
  let count: number;
  let at: (k: number) => SimOrder;
  if (!filtered) {
    count = hi - lo;
    at = (k) => shop.orders[descending ? hi - 1 - k : lo + k];
  } else {
    const matches: SimOrder[] = [];
    for (let i = lo; i < hi; i++) {
      const order = shop.orders[i];
      if (dateType !== 1) {
        const date = searchDate(order, dateType);
        if (date === null || date < start || date > endInclusive) continue;
      }
      if (progressList && !progressList.includes(order.progress)) continue;
      if (subStatusList && !subStatusList.includes(order.subStatusId ?? -1)) continue;
      if (typeList && !typeList.includes(order.orderType)) continue;
      if (settlement !== null && order.settlementMethodCode !== settlement) continue;
      const parcels = order.packages.flatMap((p) => p.shipping);
      if (shippingDateBlank && parcels.some((s) => s.shippingDate)) continue;
      if (shippingNumberBlank && parcels.some((s) => s.shippingNumber)) continue;
      matches.push(order);
    }
    count = matches.length;
    at = (k) => matches[descending ? count - 1 - k : k];
  }
  if (count === 0) {
    return json(200, {
      orderNumberList: [],
      MessageModelList: [message('INFO', ORDER_CODES.SEARCH_OK_EMPTY)],
      PaginationResponseModel: { totalRecordsAmount: null, totalPages: null, requestPage: null },
    });
  }
  // Only the first 15,000 matches can be reached (docs/rakuten-rms.md §2.1).
  const reachable = Math.min(count, RMS_LIMITS.searchResultCap);
  const totalPages = Math.ceil(reachable / size);
  const list: string[] = [];
  for (let k = (page - 1) * size; k < Math.min(reachable, page * size); k++) {
    list.push(at(k).orderNumber);
  }
  return json(200, {
    orderNumberList: list,
    MessageModelList: [message('INFO', ORDER_CODES.SEARCH_OK)],
    PaginationResponseModel: {
      totalRecordsAmount: settings.searchTotalBeyondCap ? count : reachable,
      totalPages,
      requestPage: page,
    },
  });
}

// ---- getOrder -------------------------------------------------------------------------------

function getError(code: string, text: string): SimResponse {
  return json(400, { MessageModelList: [message('ERROR', code, text)] });
}

export function getOrder(store: SimStore, shop: SimShop, body: unknown): SimResponse {
  if (!isBody(body) || !Array.isArray(body.orderNumberList) || body.orderNumberList.length === 0) {
    return getError(ORDER_CODES.GET_REQUIRED, 'orderNumberListの項目を指定して下さい。');
  }
  // version is required since v5.6 (2021-04): without it, ERROR_009 and no OrderModelList.
  if (body.version === undefined || body.version === null || body.version === '') {
    return getError(ORDER_CODES.GET_REQUIRED, 'versionの項目を指定して下さい。');
  }
  const version = asInt(body.version);
  if (version === null || version < OLDEST_ORDER_VERSION || version > LATEST_ORDER_VERSION) {
    return getError(INVENTED.GET_FORMAT, 'versionの値が不正です。');
  }
  const numbers = body.orderNumberList as unknown[];
  if (numbers.length > RMS_LIMITS.getOrderBatch) {
    return getError(INVENTED.GET_FORMAT, 'orderNumberListの件数が上限(100件)を超えています。');
  }
  const oldest = store.now() - RMS_LIMITS.searchLookbackDays * DAY_MS;
  const orders = [];
  const warnings: MessageModel[] = [];
  for (const number of numbers) {
    const order = typeof number === 'string' ? store.orders.get(number) : undefined;
    if (order && order.shopId === shop.shopId && order.orderedAt >= oldest) {
      orders.push(renderOrderModel(order, version, store.settings));
    } else if (store.settings.getOrderWarnUnknown) {
      warnings.push(
        message('WARNING', ORDER_CODES.GET_WARNING, '指定された受注番号は存在しません。', {
          orderNumber: String(number),
        }),
      );
    }
  }
  const response: Record<string, unknown> = {
    MessageModelList: [
      message(
        'INFO',
        ORDER_CODES.GET_OK,
        `受注情報取得に成功しました。(取得件数${orders.length}件)`,
      ),
      ...warnings,
    ],
    OrderModelList: orders,
  };
  if (version >= 6) response.version = version;
  return json(200, response);
}

// ---- confirmOrder ---------------------------------------------------------------------------

export function confirmOrder(store: SimStore, shop: SimShop, body: unknown): SimResponse {
  if (!isBody(body) || !Array.isArray(body.orderNumberList) || body.orderNumberList.length === 0) {
    return json(400, {
      MessageModelList: [
        message('ERROR', INVENTED.CONFIRM_REQUIRED, 'orderNumberListの項目を指定して下さい。'),
      ],
    });
  }
  if (body.orderNumberList.length > RMS_LIMITS.confirmOrderBatch) {
    return json(400, {
      MessageModelList: [
        message(
          'ERROR',
          INVENTED.CONFIRM_FORMAT,
          'orderNumberListの件数が上限(100件)を超えています。',
        ),
      ],
    });
  }
  const now = store.now();
  const messages = (body.orderNumberList as unknown[]).map((value) => {
    const orderNumber = String(value);
    const order = store.orders.get(orderNumber);
    if (!order || order.shopId !== shop.shopId) {
      return message('ERROR', INVENTED.CONFIRM_NOT_FOUND, '注文が存在しません。', { orderNumber });
    }
    if (order.progress === 800 || order.progress === 900) {
      return message('ERROR', ORDER_CODES.CONFIRM_CANCELED, 'キャンセル済みの注文です。', {
        orderNumber,
      });
    }
    if (order.progress !== 100) {
      return message('ERROR', ORDER_CODES.CONFIRM_ALREADY, '既に注文確認済みです。', {
        orderNumber,
      });
    }
    if (!order.amountsFixed) {
      return message(
        'ERROR',
        ORDER_CODES.CONFIRM_AMOUNT_NOT_FIXED,
        '送料が未設定のため注文確認できません。',
        {
          orderNumber,
        },
      );
    }
    order.progress = 200;
    order.confirmedAt = now;
    order.changeReasons.push({ changeType: 8, at: now });
    // Rakuten's own checks then move the order to 300 (発送待ち) after a while.
    store.schedule(order, 300, store.settings.processingDelayMs);
    return message('INFO', ORDER_CODES.CONFIRM_OK, undefined, { orderNumber });
  });
  return json(200, { MessageModelList: messages });
}

// ---- cancelOrder ----------------------------------------------------------------------------

const CANCEL_REASONS = [1, 2, 3, 4, 5, 6, 8, 10, 13, 14, 15];

export function cancelOrder(store: SimStore, shop: SimShop, body: unknown): SimResponse {
  const fail = (status: number, code: string, text: string, orderNumber?: string) =>
    json(status, {
      MessageModelList: [message('ERROR', code, text, orderNumber ? { orderNumber } : {})],
    });
  if (!isBody(body) || typeof body.orderNumber !== 'string' || body.orderNumber === '') {
    return fail(400, INVENTED.CANCEL_REQUIRED, 'orderNumberの項目を指定して下さい。');
  }
  const restore = asInt(body.inventoryRestoreType);
  if (restore === null || restore < 0 || restore > 2) {
    return fail(400, INVENTED.CANCEL_FORMAT, 'inventoryRestoreTypeの値が不正です。');
  }
  const reason = asInt(body.changeReasonDetailApply);
  if (reason === null || !CANCEL_REASONS.includes(reason)) {
    return fail(400, INVENTED.CANCEL_FORMAT, 'changeReasonDetailApplyの値が不正です。');
  }
  const orderNumber = body.orderNumber;
  const order = store.orders.get(orderNumber);
  if (!order || order.shopId !== shop.shopId) {
    return fail(200, INVENTED.CANCEL_NOT_FOUND, '注文が存在しません。', orderNumber);
  }
  // Allowed only in 100, 200 or 300 (docs/rakuten-rms.md §2.4).
  if (![100, 200, 300].includes(order.progress)) {
    return fail(
      200,
      INVENTED.CANCEL_NOT_ALLOWED,
      'このステータスの注文はキャンセルできません。',
      orderNumber,
    );
  }
  const now = store.now();
  order.progress = 800;
  order.canceledAt = now;
  order.changeReasons.push({ changeType: 0, at: now, reason });
  store.schedule(order, 900, store.settings.cancelConfirmDelayMs);
  return json(200, {
    MessageModelList: [message('INFO', ORDER_CODES.CANCEL_OK, undefined, { orderNumber })],
  });
}

// ---- shipping -------------------------------------------------------------------------------

/** Format checks of one shipping report; the messages carry dataNumber (1-based, request-wide). */
function shippingFormatErrors(
  request: unknown,
  code: string,
  acceptCompactDate: boolean,
): { errors: MessageModel[]; orderNumber: string | null } {
  const errors: MessageModel[] = [];
  if (!isBody(request) || typeof request.orderNumber !== 'string' || request.orderNumber === '') {
    errors.push(
      message('ERROR', INVENTED.SHIPPING_REQUIRED, 'orderNumberの項目を指定して下さい。'),
    );
    return { errors, orderNumber: null };
  }
  const orderNumber = request.orderNumber;
  const baskets = request.BasketidModelList;
  if (!Array.isArray(baskets) || baskets.length === 0) {
    errors.push(
      message('ERROR', INVENTED.SHIPPING_REQUIRED, 'BasketidModelListの項目を指定して下さい。', {
        orderNumber,
      }),
    );
    return { errors, orderNumber };
  }
  let dataNumber = 0;
  for (const basket of baskets as unknown[]) {
    const at = (text: string, n: number | null) =>
      errors.push(message('ERROR', code, text, { orderNumber, dataNumber: n }));
    if (!isBody(basket) || asInt(basket.basketId) === null) {
      at('basketIdの項目を指定して下さい。', null);
      continue;
    }
    const models = basket.ShippingModelList;
    if (!Array.isArray(models) || models.length === 0) {
      at('ShippingModelListの項目を指定して下さい。', null);
      continue;
    }
    if (models.length > RMS_LIMITS.shippingModelsPerBasket) {
      at('ShippingModelListの件数が上限(20件)を超えています。', null);
    }
    for (const model of models as unknown[]) {
      dataNumber += 1;
      if (!isBody(model)) {
        at('ShippingModelの書式が不正です。', dataNumber);
        continue;
      }
      // A carrier *name* instead of its code is the classic mistake (docs/rakuten-rms.md §8).
      if ('deliveryCompany' in model && !(String(model.deliveryCompany) in RAKUTEN_CARRIER_CODES)) {
        at('deliveryCompanyの書式が不正です。', dataNumber);
      }
      if (typeof model.shippingDate === 'string' && model.shippingDate !== '') {
        const ok =
          isRmsDate(model.shippingDate) ||
          (acceptCompactDate && isCompactRmsDate(model.shippingDate));
        if (!ok) at('shippingDateの書式が不正です。', dataNumber);
      }
      if (typeof model.shippingNumber === 'string') {
        if (model.shippingNumber.length > RMS_LIMITS.shippingNumberMaxLength) {
          at('shippingNumberの桁数が不正です。', dataNumber);
        }
      }
      const deleteFlag =
        model.shippingDeleteFlag === undefined ? 0 : asInt(model.shippingDeleteFlag);
      if (deleteFlag !== 0 && deleteFlag !== 1)
        at('shippingDeleteFlagの値が不正です。', dataNumber);
      if (deleteFlag === 1 && asInt(model.shippingDetailId) === null) {
        at('shippingDetailIdの項目を指定して下さい。', dataNumber);
      }
    }
  }
  return { errors, orderNumber };
}

function normaliseDate(value: string): string {
  return isCompactRmsDate(value)
    ? `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`
    : value;
}

/**
 * Applies a (format-valid) shipping report to one order: adds, updates and deletes records, then
 * moves 300 → 500 when every live package has records and every record has carrier, number and
 * date (docs/rakuten-rms.md §2.5, §3.2). Returns one message per ShippingModel.
 */
export function applyShipping(
  store: SimStore,
  shop: SimShop,
  request: UpdateOrderShippingRequest,
  via: 'sync' | 'async',
): MessageModel[] {
  const orderNumber = request.orderNumber;
  const order = store.orders.get(orderNumber);
  const all = request.BasketidModelList.flatMap((b) => b.ShippingModelList.map((m) => ({ b, m })));
  const everyModel = (code: string, text: string) =>
    all.map((_, i) => message('ERROR', code, text, { orderNumber, dataNumber: i + 1 }));
  if (!order || order.shopId !== shop.shopId) {
    return everyModel(INVENTED.SHIPPING_NOT_ALLOWED, '注文が存在しません。');
  }
  if (order.progress === 800 || order.progress === 900) {
    return everyModel(
      ORDER_CODES.SHIPPING_CANCELED,
      'キャンセル済みの注文のため発送情報を更新できません。',
    );
  }
  if (order.progress < 300 || order.progress === 400) {
    return everyModel(
      INVENTED.SHIPPING_NOT_ALLOWED,
      '発送待ちではないため発送情報を更新できません。',
    );
  }
  const at = new Date(store.now()).toISOString();
  const results = all.map(({ b, m }, index): MessageModel => {
    const dataNumber = index + 1;
    const pkg = order.packages.find((p) => p.basketId === Number(b.basketId) && !p.deleted);
    if (!pkg) {
      return message('ERROR', INVENTED.SHIPPING_NOT_ALLOWED, 'basketIdが存在しません。', {
        orderNumber,
        dataNumber,
      });
    }
    const model: ShippingUpdateModel = m;
    const id =
      model.shippingDetailId === undefined || model.shippingDetailId === null
        ? null
        : Number(model.shippingDetailId);
    const report = (
      action: 'added' | 'updated' | 'deleted',
      record: (typeof pkg.shipping)[number],
    ) =>
      shop.shippingReports.push({
        at,
        via,
        orderNumber,
        basketId: pkg.basketId,
        shippingDetailId: record.shippingDetailId,
        action,
        deliveryCompany: record.deliveryCompany,
        shippingNumber: record.shippingNumber,
        shippingDate: record.shippingDate,
      });
    if (id === null) {
      const record = {
        shippingDetailId: store.ids.shippingDetailId++,
        deliveryCompany: model.deliveryCompany ?? null,
        shippingNumber: model.shippingNumber || null,
        shippingDate: model.shippingDate ? normaliseDate(model.shippingDate) : null,
      };
      pkg.shipping.push(record);
      report('added', record);
      return message('INFO', ORDER_CODES.SHIPPING_ADDED, undefined, {
        orderNumber,
        dataNumber,
        shippingDetailId: record.shippingDetailId,
      });
    }
    const record = pkg.shipping.find((s) => s.shippingDetailId === id);
    if (!record) {
      return message('ERROR', INVENTED.SHIPPING_NOT_ALLOWED, 'shippingDetailIdが存在しません。', {
        orderNumber,
        dataNumber,
        shippingDetailId: id,
      });
    }
    if (Number(model.shippingDeleteFlag) === 1) {
      pkg.shipping = pkg.shipping.filter((s) => s !== record);
      report('deleted', record);
      return message('INFO', ORDER_CODES.SHIPPING_DELETED, undefined, {
        orderNumber,
        dataNumber,
        shippingDetailId: id,
      });
    }
    // Key absent = unchanged; key present and empty = delete the value.
    if (model.deliveryCompany !== undefined) record.deliveryCompany = model.deliveryCompany;
    if (model.shippingNumber !== undefined) record.shippingNumber = model.shippingNumber || null;
    if (model.shippingDate !== undefined) {
      record.shippingDate = model.shippingDate ? normaliseDate(model.shippingDate) : null;
    }
    report('updated', record);
    return message('INFO', ORDER_CODES.SHIPPING_UPDATED, undefined, {
      orderNumber,
      dataNumber,
      shippingDetailId: id,
    });
  });
  const live = order.packages.filter((p) => !p.deleted);
  const complete =
    live.length > 0 &&
    live.every(
      (p) =>
        p.shipping.length > 0 &&
        p.shipping.every((s) => s.deliveryCompany && s.shippingNumber && s.shippingDate),
    );
  if (order.progress === 300 && complete) {
    order.progress = 500;
    order.shippingReportedAt = store.now();
    // Rakuten then settles the payment: 500 → 600 → 700 as days pass (docs/rakuten-rms.md §3.2).
    store.armTimers(order);
  }
  return results;
}

export function updateOrderShipping(store: SimStore, shop: SimShop, body: unknown): SimResponse {
  const { errors } = shippingFormatErrors(
    body,
    ORDER_CODES.SHIPPING_FORMAT,
    store.settings.acceptCompactShippingDate,
  );
  if (errors.length > 0) return json(400, { MessageModelList: errors });
  const messages = applyShipping(store, shop, body as UpdateOrderShippingRequest, 'sync');
  return json(200, { MessageModelList: messages });
}

export function updateOrderShippingAsync(
  store: SimStore,
  shop: SimShop,
  body: unknown,
): SimResponse {
  const list = isBody(body) ? body.OrderShippingModelList : undefined;
  const code = ORDER_CODES.SHIPPING_ASYNC_FORMAT;
  // Validation errors come back at once, with 200 (S3's transcription), and no requestId.
  if (!Array.isArray(list) || list.length === 0) {
    return json(200, {
      MessageModelList: [
        message(
          'ERROR',
          ORDER_CODES.SHIPPING_ASYNC_REQUIRED,
          'OrderShippingModelListの項目を指定して下さい。',
        ),
      ],
    });
  }
  if (list.length > RMS_LIMITS.shippingAsyncBatch) {
    return json(200, {
      MessageModelList: [
        message('ERROR', code, 'OrderShippingModelListの件数が上限(100件)を超えています。'),
      ],
    });
  }
  const errors: MessageModel[] = [];
  const seen = new Set<string>();
  for (const entry of list as unknown[]) {
    const result = shippingFormatErrors(entry, code, store.settings.acceptCompactShippingDate);
    errors.push(...result.errors);
    if (result.orderNumber) {
      if (seen.has(result.orderNumber)) {
        errors.push(
          message('ERROR', code, 'orderNumberが重複しています。', {
            orderNumber: result.orderNumber,
          }),
        );
      }
      seen.add(result.orderNumber);
    }
  }
  if (errors.length > 0) return json(200, { MessageModelList: errors });
  const requestId = store.newRequestId();
  const now = store.now();
  store.asyncRequests.set(requestId, {
    requestId,
    shopId: shop.shopId,
    acceptedAt: now,
    dueAt: now + store.settings.asyncShippingDelayMs,
    orders: list as UpdateOrderShippingRequest[],
    results: null,
  });
  if (store.settings.asyncShippingDelayMs <= 0) store.tick();
  return json(200, {
    MessageModelList: [
      message('INFO', ORDER_CODES.SHIPPING_ASYNC_ACCEPTED, undefined, {
        requestId,
        dataNumber: null,
        shippingDetailId: null,
      }),
    ],
  });
}

/** Runs an accepted async request (called by SimStore.tick when it is due). */
export function processAsyncShipping(store: SimStore, request: SimAsyncRequest): void {
  const shop = store.shops.get(request.shopId);
  request.results = request.orders.map((order): ResultShippingModel => ({
    orderNumber: order.orderNumber,
    MessageModelList: shop ? applyShipping(store, shop, order, 'async') : [],
  }));
}

export function getResultUpdateOrderShippingAsync(
  store: SimStore,
  shop: SimShop,
  body: unknown,
): SimResponse {
  if (!isBody(body) || typeof body.requestId !== 'string' || body.requestId === '') {
    return json(400, {
      MessageModelList: [
        message('ERROR', INVENTED.RESULT_REQUIRED, 'requestIdの項目を指定して下さい。'),
      ],
    });
  }
  const request = store.asyncRequests.get(body.requestId);
  const kept = store.settings.asyncResultRetentionDays * DAY_MS;
  // Not finished, unknown and expired all look the same (docs/rakuten-rms.md §2.6).
  if (
    !request ||
    request.shopId !== shop.shopId ||
    !request.results ||
    request.acceptedAt + kept < store.now()
  ) {
    return json(200, {
      ResultShippingModelList: [
        {
          orderNumber: null,
          MessageModelList: [message('INFO', ORDER_CODES.SHIPPING_ASYNC_NO_RESULT)],
        },
      ],
    });
  }
  return json(200, { ResultShippingModelList: request.results });
}
