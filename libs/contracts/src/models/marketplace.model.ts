/** Marketplaces the platform connects to. Rakuten Ichiba is the first; others add a value here. */
export const MARKETPLACES = ['rakuten'] as const;

/** A marketplace identifier, e.g. `'rakuten'`. */
export type Marketplace = (typeof MARKETPLACES)[number];

/**
 * Rakuten `orderProgress` codes (docs/rakuten-rms.md §3.1), passed through unchanged so that no
 * meaning is lost in translation.
 */
export const RAKUTEN_ORDER_PROGRESS = {
  /** 注文確認待ち: new, waiting for the shop's confirmation (14-day deadline). */
  AWAITING_CONFIRMATION: 100,
  /** 楽天処理中: Rakuten is authorising payment and screening. */
  RAKUTEN_PROCESSING: 200,
  /** 発送待ち: ready to ship. */
  AWAITING_SHIPMENT: 300,
  /** 変更確定待ち: an order change awaits confirmation. */
  AWAITING_CHANGE_CONFIRMATION: 400,
  /** 発送済: shipped (shipping report done). */
  SHIPPED: 500,
  /** 支払手続き中: payment settlement in progress. */
  PAYMENT_IN_PROGRESS: 600,
  /** 支払手続き済: payment settled. */
  PAYMENT_SETTLED: 700,
  /** キャンセル確定待ち: cancellation awaiting confirmation. */
  AWAITING_CANCELLATION: 800,
  /** キャンセル確定: canceled. */
  CANCELED: 900,
} as const;

/** One of Rakuten's `orderProgress` codes, 100..900 in steps of 100. */
export type RakutenOrderProgress =
  (typeof RAKUTEN_ORDER_PROGRESS)[keyof typeof RAKUTEN_ORDER_PROGRESS];

/** Every Rakuten `orderProgress` code, ascending. */
export const RAKUTEN_ORDER_PROGRESS_CODES: readonly RakutenOrderProgress[] =
  Object.values(RAKUTEN_ORDER_PROGRESS);

/**
 * Rakuten delivery company codes (`deliveryCompany`, docs/rakuten-rms.md §8). Rakuten refuses a
 * carrier name where a code is expected, so contracts carry the code.
 */
export const RAKUTEN_CARRIER_CODES = {
  '1000': 'その他',
  '1001': 'ヤマト運輸',
  '1002': '佐川急便',
  '1003': '日本郵便',
  '1004': '西濃運輸',
  '1005': 'セイノースーパーエクスプレス',
  '1006': '福山通運',
  '1007': '名鉄運輸',
  '1008': 'トナミ運輸',
  '1009': '第一貨物',
  '1010': '新潟運輸',
  '1011': '中越運送',
  '1012': '岡山県貨物運送',
  '1013': '久留米運送',
  '1014': '山陽自動車運送',
  '1015': 'NXトランスポート',
  '1016': 'エコ配',
  '1017': 'EMS',
  '1018': 'DHL',
  '1019': 'FedEx',
  '1020': 'UPS',
  '1021': '日本通運',
  '1022': 'TNT',
  '1023': 'OCS',
  '1024': 'USPS',
  '1025': 'SFエクスプレス',
  '1026': 'Aramex',
  '1027': 'SGHグローバル・ジャパン',
  '1028': 'Rakuten EXPRESS',
  '1029': '日本郵便 楽天倉庫出荷',
  '1030': 'ヤマト運輸 クロネコゆうパケット',
  '1031': '名鉄NX運輸',
} as const satisfies Record<string, string>;

/** A Rakuten delivery company code known at the time of writing, e.g. `'1001'`. */
export type RakutenCarrierCode = keyof typeof RAKUTEN_CARRIER_CODES;
