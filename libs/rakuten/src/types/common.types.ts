/*
 * Wire types shared by several RMS APIs. Field names and casing are exactly those on the wire
 * (docs/rakuten-rms.md): nested model keys PascalCase, scalar keys camelCase.
 */

/** Severity of one RMS message (RakutenPay Order API MessageModel.messageType). */
export type MessageType = 'INFO' | 'WARNING' | 'ERROR';

/**
 * One result message of the RakutenPay Order API (docs/rakuten-rms.md §2.0). Per-order functions put
 * one per order (confirmOrder) or one per ShippingModel (shipping functions).
 */
export interface MessageModel {
  /** INFO, WARNING or ERROR. Any ERROR means failure, whatever the HTTP status. */
  messageType: MessageType;
  /** Machine code, e.g. `ORDER_EXT_API_SEARCH_ORDER_INFO_101`. */
  messageCode: string;
  /** Japanese text, e.g. `注文検索に成功しました。`. */
  message: string;
  /** The order the message is about, for per-order functions. */
  orderNumber?: string | null;
  /** Shipping functions: 1-based index of the ShippingModel in the request. */
  dataNumber?: number | null;
  /** Shipping functions: the shipping record added, updated or deleted. */
  shippingDetailId?: number | null;
  /** updateOrderShippingAsync: the id to ask for the result with. */
  requestId?: string | null;
}

/**
 * The ESA gateway's own error envelope, used for authentication and routing failures
 * (docs/rakuten-rms.md §1.3). Sources disagree on the text key, so both are declared.
 */
export interface EsaErrorResponse {
  Results: {
    /** `ES01-01` (Un-Authorised), `ES04-01` (Bad Request: function not enabled), … */
    errorCode: string;
    /** Text according to most sources, e.g. `Un-Authorised`. */
    message?: string;
    /** Text according to one client library (S3). */
    errorMessage?: string;
  };
}

/** One entry of the Inventory and Item APIs' error body (docs/rakuten-rms.md §5.1). */
export interface RmsApiError {
  /** `IE0002` invalid value, `IE0003` out of range, `IE0004` length, `GE0014` not found, … */
  code: string;
  /** English text, e.g. `Max length of manageNumber must be within 32 bytes.` */
  message: string;
  /** Where the problem is, when RMS says. */
  metadata?: { propertyPath?: string } | null;
}

/** Error body of the Inventory and Item APIs: `{"errors":[…]}` with HTTP 400 or 404. */
export interface RmsApiErrorResponse {
  errors: RmsApiError[];
}
