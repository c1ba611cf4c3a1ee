/*
 * Message and error codes known from public sources (docs/rakuten-rms.md §1.3, §2, §5.1). The client
 * and the simulator share them so a typo cannot make the two disagree. Codes marked [NF] in the
 * fact sheet are not here; the simulator defines its own documented stand-ins for those.
 */

/** ESA gateway error codes. */
export const ESA_CODES = {
  /** Wrong, expired or not-yet-active key. */
  UNAUTHORISED: 'ES01-01',
  /** The key lacks the function's permission (利用機能編集). */
  BAD_REQUEST: 'ES04-01',
} as const;

const P = 'ORDER_EXT_API_';

/** RakutenPay Order API message codes. */
export const ORDER_CODES = {
  SEARCH_OK: `${P}SEARCH_ORDER_INFO_101`,
  SEARCH_OK_EMPTY: `${P}SEARCH_ORDER_INFO_102`,
  SEARCH_REQUIRED: `${P}SEARCH_ORDER_ERROR_009`,
  SEARCH_VALUE_MISSING: `${P}SEARCH_ORDER_ERROR_010`,
  SEARCH_FORMAT: `${P}SEARCH_ORDER_ERROR_011`,

  GET_OK: `${P}GET_ORDER_INFO_101`,
  GET_REQUIRED: `${P}GET_ORDER_ERROR_009`,
  GET_WARNING: `${P}GET_ORDER_WARNING_101`,

  CONFIRM_OK: `${P}CONFIRM_ORDER_INFO_101`,
  CONFIRM_CANCELED: `${P}CONFIRM_ORDER_ERROR_102`,
  CONFIRM_ALREADY: `${P}CONFIRM_ORDER_ERROR_103`,
  CONFIRM_AMOUNT_NOT_FIXED: `${P}CONFIRM_ORDER_ERROR_105`,

  CANCEL_OK: `${P}CANCEL_ORDER_INFO_101`,

  SHIPPING_ADDED: `${P}UPDATE_ORDERSHIPPING_INFO_101`,
  SHIPPING_UPDATED: `${P}UPDATE_ORDERSHIPPING_INFO_102`,
  SHIPPING_DELETED: `${P}UPDATE_ORDERSHIPPING_INFO_103`,
  SHIPPING_FORMAT: `${P}UPDATE_ORDERSHIPPING_ERROR_011`,
  SHIPPING_CANCELED: `${P}UPDATE_ORDERSHIPPING_ERROR_102`,

  SHIPPING_ASYNC_ACCEPTED: `${P}UPDATE_ORDERSHIPPING_ASYNC_INFO_101`,
  SHIPPING_ASYNC_FORMAT: `${P}UPDATE_ORDERSHIPPING_ASYNC_ERROR_011`,
  SHIPPING_ASYNC_REQUIRED: `${P}UPDATE_ORDERSHIPPING_ASYNC_ERROR_009`,
  SHIPPING_ASYNC_NO_RESULT: `${P}GET_RESULT_UPDATEORDERSHIPPING_ASYNC_INFO_101`,
} as const;

/** Inventory / Item API error codes. */
export const INVENTORY_CODES = {
  INVALID_VALUE: 'IE0002',
  OUT_OF_RANGE: 'IE0003',
  LENGTH: 'IE0004',
  NOT_FOUND: 'GE0014',
} as const;

/** Official Japanese texts of the codes above, for the simulator and for tests. */
export const ORDER_MESSAGES: Record<string, string> = {
  [ORDER_CODES.SEARCH_OK]: '注文検索に成功しました。',
  [ORDER_CODES.SEARCH_OK_EMPTY]: '注文検索に成功しました。(検索結果０件)',
  [ORDER_CODES.CONFIRM_OK]: '注文確認に成功しました。',
  [ORDER_CODES.CANCEL_OK]: 'キャンセル申請に成功しました。',
  [ORDER_CODES.SHIPPING_ADDED]: '発送情報の追加設定が完了しました。',
  [ORDER_CODES.SHIPPING_UPDATED]: '発送情報の更新設定が完了しました。',
  [ORDER_CODES.SHIPPING_DELETED]: '発送情報の削除設定が完了しました。',
  [ORDER_CODES.SHIPPING_ASYNC_ACCEPTED]: '発送情報の更新を受付けました。',
  [ORDER_CODES.SHIPPING_ASYNC_NO_RESULT]: '指定されたリクエストIDの処理結果は存在しませんでした。',
};
