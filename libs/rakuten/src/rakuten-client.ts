import { ORDER_CODES } from './rms-codes';
import { parseRmsDateTime } from './rms-dates';
import { LATEST_ORDER_VERSION, RMS_LIMITS, orderApiPath } from './rms-functions';
import { RmsHttp, asMessageList, fieldOfMessage, type RmsHttpOptions } from './rms-http';
import { RakutenError, RakutenErrorCode } from './rakuten.errors';
import type { MessageModel } from './types/common.types';
import type {
  BulkGetRangeQuery,
  BulkGetResponse,
  BulkUpsertItem,
  InventoryKey,
  InventoryVariant,
  VariantUpsertRequest,
} from './types/inventory-api.types';
import type { Item, ItemSearchQuery, ItemSearchResponse } from './types/item-api.types';
import type { LicenseExpiryResponse } from './types/license-api.types';
import type {
  CancelOrderRequest,
  CancelOrderResponse,
  ConfirmOrderResponse,
  GetOrderResponse,
  GetResultUpdateOrderShippingAsyncResponse,
  OrderModel,
  SearchOrderRequest,
  SearchOrderResponse,
  UpdateOrderShippingAsyncResponse,
  UpdateOrderShippingRequest,
  UpdateOrderShippingResponse,
} from './types/order-api.types';

/** Options of the client: the HTTP options plus the getOrder version. */
export interface RakutenClientOptions extends RmsHttpOptions {
  /** getOrder response version (default the newest known, 10; at least 7 for SKU data). */
  orderVersion?: number;
}

/** Per-call options. */
export interface CallOptions {
  /** Aborts waiting, the request and retries. */
  signal?: AbortSignal;
}

/** One page of searchOrder, with RMS's null pagination (0 hits) turned into zeros. */
export interface SearchOrderPage {
  orderNumbers: string[];
  totalRecords: number;
  totalPages: number;
  page: number;
  messages: MessageModel[];
}

/** getOrder's answer: the orders found, and the numbers RMS did not return. */
export interface GetOrderResult {
  orders: OrderModel[];
  /** Requested numbers with no OrderModel in the response (unknown, too old, other shop). */
  missing: string[];
  version: number | undefined;
  messages: MessageModel[];
}

/** The outcome of a per-order write for one order (RMS answers 200 with INFO or ERROR per order). */
export interface OrderOutcome {
  orderNumber: string;
  /** true when RMS sent no ERROR for this order. */
  ok: boolean;
  /** RMS code of the first ERROR, or of the first message when ok. */
  code: string;
  messages: MessageModel[];
}

/** Result of one ShippingModel of a shipping report. */
export interface ShippingLineOutcome {
  /** 1-based position of the ShippingModel in the request. */
  dataNumber: number | null;
  /** The record's id; for an addition, the new id RMS issued. */
  shippingDetailId: number | null;
  ok: boolean;
  code: string;
  message: string;
}

/** The outcome of a shipping report for one order. */
export interface ShippingOutcome {
  orderNumber: string;
  ok: boolean;
  lines: ShippingLineOutcome[];
  messages: MessageModel[];
}

/** updateOrderShippingAsync: accepted with a requestId, or refused with per-order errors. */
export type ShippingAsyncSubmission =
  | { accepted: true; requestId: string; messages: MessageModel[] }
  | { accepted: false; errors: MessageModel[]; messages: MessageModel[] };

/** getResultUpdateOrderShippingAsync: not there (yet, or any more), or the per-order outcomes. */
export type ShippingAsyncResult =
  { ready: false; messages: MessageModel[] } | { ready: true; orders: ShippingOutcome[] };

/** Licence key expiry. */
export interface LicenseExpiry {
  /** As RMS sent it. */
  expiryDate: string;
  expiresAt: Date;
}

/**
 * The RMS Web API client: Order API 2.0, Inventory API 2.0, Item API 2.0 and the licence-key
 * expiry. Each method is one RMS call and enforces that call's documented limits before sending;
 * the helpers in rms-batching.ts and order-search.ts split bigger jobs into such calls.
 *
 * Failures throw RakutenError. Per-order failures of the batch write functions are not thrown:
 * they come back per order, because the other orders of the batch did succeed.
 */
export class RakutenClient {
  private readonly http: RmsHttp;
  readonly orderVersion: number;

  constructor(options: RakutenClientOptions) {
    this.http = new RmsHttp(options);
    this.orderVersion = options.orderVersion ?? LATEST_ORDER_VERSION;
  }

  /** The licence key's non-reversible id (for logs and rate-limit buckets). */
  get licenseKeyId(): string {
    return this.http.licenseKeyId;
  }

  // ---- Order API ----------------------------------------------------------------------------

  /** searchOrder: one page of order numbers. Use `searchAllOrderNumbers` for a whole range. */
  async searchOrder(
    request: SearchOrderRequest,
    options: CallOptions = {},
  ): Promise<SearchOrderPage> {
    const size = request.PaginationRequestModel?.requestRecordsAmount;
    if (size !== undefined && (size < 1 || size > RMS_LIMITS.searchPageSize)) {
      throw new RangeError(`requestRecordsAmount must be 1..${RMS_LIMITS.searchPageSize}`);
    }
    const { body } = await this.http.send<SearchOrderResponse>({
      fn: 'searchOrder',
      method: 'POST',
      path: orderApiPath('searchOrder'),
      body: request,
      signal: options.signal,
    });
    const response = this.expectMessages('searchOrder', body);
    this.throwOnRequestError('searchOrder', response.MessageModelList);
    const pagination = response.PaginationResponseModel;
    return {
      orderNumbers: response.orderNumberList ?? [],
      totalRecords: pagination?.totalRecordsAmount ?? 0,
      totalPages: pagination?.totalPages ?? 0,
      page: pagination?.requestPage ?? request.PaginationRequestModel?.requestPage ?? 1,
      messages: response.MessageModelList,
    };
  }

  /** getOrder for up to 100 order numbers, at `orderVersion`. */
  async getOrder(orderNumbers: string[], options: CallOptions = {}): Promise<GetOrderResult> {
    assertBatch('getOrder', orderNumbers, RMS_LIMITS.getOrderBatch);
    const { body } = await this.http.send<GetOrderResponse>({
      fn: 'getOrder',
      method: 'POST',
      path: orderApiPath('getOrder'),
      body: { orderNumberList: orderNumbers, version: this.orderVersion },
      signal: options.signal,
    });
    const response = this.expectMessages('getOrder', body);
    this.throwOnRequestError('getOrder', response.MessageModelList);
    const orders = response.OrderModelList ?? [];
    const found = new Set(orders.map((order) => order.orderNumber));
    return {
      orders,
      missing: orderNumbers.filter((number) => !found.has(number)),
      version: response.version,
      messages: response.MessageModelList,
    };
  }

  /** confirmOrder for up to 100 orders; one outcome per order. */
  async confirmOrder(orderNumbers: string[], options: CallOptions = {}): Promise<OrderOutcome[]> {
    assertBatch('confirmOrder', orderNumbers, RMS_LIMITS.confirmOrderBatch);
    const { body } = await this.http.send<ConfirmOrderResponse>({
      fn: 'confirmOrder',
      method: 'POST',
      path: orderApiPath('confirmOrder'),
      body: { orderNumberList: orderNumbers },
      signal: options.signal,
    });
    const messages = this.expectMessages('confirmOrder', body).MessageModelList;
    return perOrder(orderNumbers, messages);
  }

  /** cancelOrder (before shipping, progress 100–300). */
  async cancelOrder(request: CancelOrderRequest, options: CallOptions = {}): Promise<OrderOutcome> {
    const { body } = await this.http.send<CancelOrderResponse>({
      fn: 'cancelOrder',
      method: 'POST',
      path: orderApiPath('cancelOrder'),
      body: request,
      signal: options.signal,
    });
    const messages = this.expectMessages('cancelOrder', body).MessageModelList;
    return perOrder([request.orderNumber], messages)[0];
  }

  /** updateOrderShipping: the synchronous shipping report for one order. */
  async updateOrderShipping(
    request: UpdateOrderShippingRequest,
    options: CallOptions = {},
  ): Promise<ShippingOutcome> {
    assertShippingRequest(request);
    const { body } = await this.http.send<UpdateOrderShippingResponse>({
      fn: 'updateOrderShipping',
      method: 'POST',
      path: orderApiPath('updateOrderShipping'),
      body: request,
      signal: options.signal,
    });
    const messages = this.expectMessages('updateOrderShipping', body).MessageModelList;
    return shippingOutcome(request.orderNumber, messages);
  }

  /** updateOrderShippingAsync: up to 100 distinct orders; returns a requestId to poll. */
  async updateOrderShippingAsync(
    orders: UpdateOrderShippingRequest[],
    options: CallOptions = {},
  ): Promise<ShippingAsyncSubmission> {
    assertBatch('updateOrderShippingAsync', orders, RMS_LIMITS.shippingAsyncBatch);
    const numbers = orders.map((order) => order.orderNumber);
    if (new Set(numbers).size !== numbers.length) {
      throw new RangeError('updateOrderShippingAsync: duplicate order numbers');
    }
    orders.forEach(assertShippingRequest);
    const { body } = await this.http.send<UpdateOrderShippingAsyncResponse>({
      fn: 'updateOrderShippingAsync',
      method: 'POST',
      path: orderApiPath('updateOrderShippingAsync'),
      body: { OrderShippingModelList: orders },
      signal: options.signal,
    });
    const messages = this.expectMessages('updateOrderShippingAsync', body).MessageModelList;
    const errors = messages.filter((m) => m.messageType === 'ERROR');
    const requestId = messages.find((m) => m.requestId)?.requestId;
    if (errors.length > 0 || !requestId) return { accepted: false, errors, messages };
    return { accepted: true, requestId, messages };
  }

  /** getResultUpdateOrderShippingAsync: the per-order outcomes, once RMS has them. */
  async getResultUpdateOrderShippingAsync(
    requestId: string,
    options: CallOptions = {},
  ): Promise<ShippingAsyncResult> {
    const { body } = await this.http.send<GetResultUpdateOrderShippingAsyncResponse>({
      fn: 'getResultUpdateOrderShippingAsync',
      method: 'POST',
      path: orderApiPath('getResultUpdateOrderShippingAsync'),
      body: { requestId },
      signal: options.signal,
    });
    if (!body || typeof body !== 'object') {
      throw unexpected('getResultUpdateOrderShippingAsync', 'empty body');
    }
    const results = body.ResultShippingModelList ?? [];
    const noResult = results.every(
      (r) =>
        !r.orderNumber &&
        r.MessageModelList.some((m) => m.messageCode === ORDER_CODES.SHIPPING_ASYNC_NO_RESULT),
    );
    if (results.length === 0 || noResult) {
      return { ready: false, messages: results.flatMap((r) => r.MessageModelList) };
    }
    return {
      ready: true,
      orders: results
        .filter((r) => r.orderNumber)
        .map((r) => shippingOutcome(r.orderNumber as string, r.MessageModelList)),
    };
  }

  // ---- LicenseManagementAPI -----------------------------------------------------------------

  /** When this client's licence key expires (the key travels in the query, as RMS wants). */
  async getLicenseExpiry(licenseKey: string, options: CallOptions = {}): Promise<LicenseExpiry> {
    const { body } = await this.http.send<LicenseExpiryResponse>({
      fn: 'licenseExpiryDate',
      method: 'GET',
      path: '/es/1.0/license-management/license-key/expiry-date',
      query: { licenseKey: licenseKey.trim() },
      signal: options.signal,
    });
    if (!body || typeof body.expiryDate !== 'string') {
      throw unexpected('licenseExpiryDate', 'no expiryDate in the response');
    }
    let expiresAt: Date;
    try {
      expiresAt = parseRmsDateTime(body.expiryDate);
    } catch {
      const parsed = new Date(body.expiryDate);
      if (Number.isNaN(parsed.getTime()))
        throw unexpected('licenseExpiryDate', 'unreadable expiryDate');
      expiresAt = parsed;
    }
    return { expiryDate: body.expiryDate, expiresAt };
  }

  // ---- Inventory API 2.0 --------------------------------------------------------------------

  /** inventories.variants.get; null when RMS has no stock row for the SKU (GE0014, 404). */
  async getInventoryVariant(
    key: InventoryKey,
    options: CallOptions = {},
  ): Promise<InventoryVariant | null> {
    const { status, body } = await this.http.send<InventoryVariant>({
      fn: 'inventoryVariantGet',
      method: 'GET',
      path: variantPath(key),
      acceptStatuses: [404],
      signal: options.signal,
    });
    if (status === 404) return null;
    if (!body) throw unexpected('inventoryVariantGet', 'empty body');
    return body;
  }

  /**
   * inventories.variants.upsert. RMS accepts unknown SKUs silently (the row is invisible and
   * deleted after 24 h), so verify keys with bulk-get or the Item API when in doubt.
   */
  async upsertInventoryVariant(
    key: InventoryKey,
    request: VariantUpsertRequest,
    options: CallOptions = {},
  ): Promise<void> {
    await this.http.send({
      fn: 'inventoryVariantUpsert',
      method: 'PUT',
      path: variantPath(key),
      body: request,
      signal: options.signal,
    });
  }

  /** inventories.variants.delete; false when there was nothing to delete (GE0014). */
  async deleteInventoryVariant(key: InventoryKey, options: CallOptions = {}): Promise<boolean> {
    const { status } = await this.http.send({
      fn: 'inventoryVariantDelete',
      method: 'DELETE',
      path: variantPath(key),
      acceptStatuses: [404],
      signal: options.signal,
    });
    return status !== 404;
  }

  /** inventories.bulk.get for 1..1000 keys. Unknown keys are simply absent from the result. */
  async bulkGetInventory(
    keys: InventoryKey[],
    options: CallOptions = {},
  ): Promise<InventoryVariant[]> {
    assertBatch('inventoryBulkGet', keys, RMS_LIMITS.inventoryBulkGetBatch);
    const { body } = await this.http.send<BulkGetResponse>({
      fn: 'inventoryBulkGet',
      method: 'POST',
      path: '/es/2.0/inventories/bulk-get',
      body: { inventories: keys },
      signal: options.signal,
    });
    return inventoriesOf('inventoryBulkGet', body);
  }

  /** inventories.bulk.get.range: SKUs whose quantity is within the bounds (≤ 1000 matches). */
  async bulkGetInventoryRange(
    query: BulkGetRangeQuery,
    options: CallOptions = {},
  ): Promise<InventoryVariant[]> {
    if (query.minQuantity === undefined && query.maxQuantity === undefined) {
      throw new RangeError('bulkGetInventoryRange: give minQuantity, maxQuantity or both');
    }
    const { body } = await this.http.send<BulkGetResponse>({
      fn: 'inventoryBulkGetRange',
      method: 'GET',
      path: '/es/2.0/inventories/bulk-get/range',
      query: { minQuantity: query.minQuantity, maxQuantity: query.maxQuantity },
      signal: options.signal,
    });
    return inventoriesOf('inventoryBulkGetRange', body);
  }

  /** inventories.bulk.upsert for 1..400 rows (204 on success). */
  async bulkUpsertInventory(items: BulkUpsertItem[], options: CallOptions = {}): Promise<void> {
    assertBatch('inventoryBulkUpsert', items, RMS_LIMITS.inventoryBulkUpsertBatch);
    await this.http.send({
      fn: 'inventoryBulkUpsert',
      method: 'POST',
      path: '/es/2.0/inventories/bulk-upsert',
      body: { inventories: items },
      signal: options.signal,
    });
  }

  // ---- Item API 2.0 -------------------------------------------------------------------------

  /** items.get by 商品管理番号; null when there is no such item. */
  async getItem(manageNumber: string, options: CallOptions = {}): Promise<Item | null> {
    const { status, body } = await this.http.send<Item>({
      fn: 'itemGet',
      method: 'GET',
      path: `/es/2.0/items/manage-numbers/${encodeURIComponent(manageNumber)}`,
      acceptStatuses: [404],
      signal: options.signal,
    });
    if (status === 404) return null;
    if (!body) throw unexpected('itemGet', 'empty body');
    return body;
  }

  /** items.search (≤ 100 hits per page), e.g. by merchantDefinedSkuId to link a listing. */
  async searchItems(
    query: ItemSearchQuery,
    options: CallOptions = {},
  ): Promise<ItemSearchResponse> {
    if (query.hits !== undefined && (query.hits < 1 || query.hits > RMS_LIMITS.itemSearchMaxHits)) {
      throw new RangeError(`items.search: hits must be 1..${RMS_LIMITS.itemSearchMaxHits}`);
    }
    const { body } = await this.http.send<ItemSearchResponse>({
      fn: 'itemSearch',
      method: 'GET',
      path: '/es/2.0/items/search',
      query: { ...query },
      signal: options.signal,
    });
    if (!body || !Array.isArray(body.results)) throw unexpected('itemSearch', 'no results array');
    return body;
  }

  // ---- helpers ------------------------------------------------------------------------------

  private expectMessages<T extends { MessageModelList?: MessageModel[] }>(
    fn: string,
    body: T | undefined,
  ): T & { MessageModelList: MessageModel[] } {
    if (!body || !Array.isArray(asMessageList(body))) {
      throw unexpected(fn, 'no MessageModelList in the response');
    }
    return body as T & { MessageModelList: MessageModel[] };
  }

  /** A read function that answers 200 with an ERROR failed as a whole. */
  private throwOnRequestError(fn: string, messages: MessageModel[]): void {
    const error = messages.find((m) => m.messageType === 'ERROR');
    if (!error) return;
    throw new RakutenError(
      RakutenErrorCode.INVALID_REQUEST,
      `${error.messageCode} ${error.message}`,
      {
        function: fn,
        status: 200,
        rmsCode: error.messageCode,
        field: fieldOfMessage(error.message),
        messages,
      },
    );
  }
}

function unexpected(fn: string, what: string): RakutenError {
  return new RakutenError(RakutenErrorCode.UNEXPECTED_RESPONSE, what, { function: fn });
}

function assertBatch(fn: string, items: unknown[], max: number): void {
  if (items.length < 1 || items.length > max) {
    throw new RangeError(`${fn}: 1..${max} entries per call, got ${items.length}`);
  }
}

function assertShippingRequest(request: UpdateOrderShippingRequest): void {
  for (const basket of request.BasketidModelList) {
    if (basket.ShippingModelList.length > RMS_LIMITS.shippingModelsPerBasket) {
      throw new RangeError(
        `updateOrderShipping: at most ${RMS_LIMITS.shippingModelsPerBasket} ShippingModel per basket`,
      );
    }
  }
}

function variantPath(key: InventoryKey): string {
  return `/es/2.0/inventories/manage-numbers/${encodeURIComponent(key.manageNumber)}/variants/${encodeURIComponent(key.variantId)}`;
}

function inventoriesOf(fn: string, body: BulkGetResponse | undefined): InventoryVariant[] {
  if (!body || !Array.isArray(body.inventories)) throw unexpected(fn, 'no inventories array');
  return body.inventories;
}

/** Groups a per-order response by order number, in the order requested. */
function perOrder(orderNumbers: string[], messages: MessageModel[]): OrderOutcome[] {
  return orderNumbers.map((orderNumber) => {
    const own = messages.filter((m) => m.orderNumber === orderNumber);
    // A single-order call may answer without orderNumber on its message.
    const mine = own.length > 0 ? own : orderNumbers.length === 1 ? messages : [];
    const error = mine.find((m) => m.messageType === 'ERROR');
    return {
      orderNumber,
      ok: mine.length > 0 && !error,
      code: (error ?? mine[0])?.messageCode ?? 'NO_MESSAGE_FOR_ORDER',
      messages: mine,
    };
  });
}

function shippingOutcome(orderNumber: string, messages: MessageModel[]): ShippingOutcome {
  const lines = messages.map((m) => ({
    dataNumber: m.dataNumber ?? null,
    shippingDetailId: m.shippingDetailId ?? null,
    ok: m.messageType !== 'ERROR',
    code: m.messageCode,
    message: m.message,
  }));
  return { orderNumber, ok: lines.length > 0 && lines.every((l) => l.ok), lines, messages };
}
