/*
 * Behaviour the simulator must choose where docs/rakuten-rms.md has no public fact ([NF]) or where
 * tests need control. Every field can be changed at run time with `PUT /__sim/settings`; the
 * README lists them with the reason for each default.
 */
export interface SimSettings {
  /** 200 → 300 after confirmOrder (Rakuten's checks, "5分前後"), in ms. */
  processingDelayMs: number;
  /** 800 → 900 after cancelOrder ([NF] whether 800 is passed through), in ms. */
  cancelConfirmDelayMs: number;
  /** Days after ordering until Rakuten cancels an order still at 100 (RMS: 14). */
  autoCancelDays: number;
  /** 500 → 600 (支払手続き中) this long after the shipping report ([NF]), in ms. */
  settlementStartMs: number;
  /** 600 → 700 (支払手続き済) this long after the shipping report ([NF]), in ms. */
  settlementDoneMs: number;
  /** cancelDueDate = order date + this many days until shipped ([L]: one payload shows a year). */
  cancelDueDays: number;
  /** Time until an async shipping request has its result, in ms. */
  asyncShippingDelayMs: number;
  /** Days an async result is kept (RMS: 30). */
  asyncResultRetentionDays: number;
  /** How long a newly issued key is refused (RMS: 10–30 min); default for keys without their own. */
  newKeyInactiveMs: number;
  /** HTTP status of ES01-01 (S13: 401). */
  authErrorStatus: number;
  /** HTTP status of ES04-01 ([L]; most likely 400). */
  functionNotEnabledStatus: number;
  /** Text key of the ESA envelope: `message` (most sources) or `errorMessage` (S3). */
  esaTextKey: 'message' | 'errorMessage';
  /** searchOrder code for a window over 63 days ([NF]; invented). */
  searchWindowTooLongCode: string;
  /** searchOrder code for a start more than 730 days back ([NF]; invented). */
  searchTooOldCode: string;
  /** Report the true total beyond the 15,000 cap (true) or at most 15,000 (false) ([NF]). */
  searchTotalBeyondCap: boolean;
  /** getOrder: add a WARNING for each unknown order number (true) or only omit it ([NF]). */
  getOrderWarnUnknown: boolean;
  /** Accept `yyyyMMdd` shippingDate besides `YYYY-MM-DD` (one disputed report, §2.5). */
  acceptCompactShippingDate: boolean;
  /** Pre-migration SkuModelList: one entry of empty strings, or an empty list ([NF]). */
  preMigrationSkuShape: 'empty-values' | 'empty-list';
  /** Refuse a JSON body whose Content-Type lacks `charset` with 415 (S10, [M]). */
  requireCharset: boolean;
  /** HTTP status for throttling ([NF]: 429 assumed). */
  throttleStatus: number;
  /** Body for throttling ([NF]; invented). */
  throttleBody: unknown;
  /** Calls kept in the call log (oldest dropped first). */
  callLogLimit: number;
  /** Keep request bodies in the call log (turn off for long benchmarks). */
  callLogBodies: boolean;
  /** Seed for fault probabilities, so a faulty run can be replayed. */
  faultSeed: number;
}

export function defaultSettings(): SimSettings {
  return {
    processingDelayMs: 5 * 60_000,
    cancelConfirmDelayMs: 60_000,
    autoCancelDays: 14,
    settlementStartMs: 24 * 60 * 60_000,
    settlementDoneMs: 5 * 24 * 60 * 60_000,
    cancelDueDays: 365,
    asyncShippingDelayMs: 10_000,
    asyncResultRetentionDays: 30,
    newKeyInactiveMs: 0,
    authErrorStatus: 401,
    functionNotEnabledStatus: 400,
    esaTextKey: 'message',
    searchWindowTooLongCode: 'ORDER_EXT_API_SEARCH_ORDER_ERROR_012',
    searchTooOldCode: 'ORDER_EXT_API_SEARCH_ORDER_ERROR_013',
    searchTotalBeyondCap: true,
    getOrderWarnUnknown: true,
    acceptCompactShippingDate: false,
    preMigrationSkuShape: 'empty-values',
    requireCharset: true,
    throttleStatus: 429,
    throttleBody: { Results: { errorCode: 'SIM-THROTTLED', message: 'Too Many Requests' } },
    callLogLimit: 100_000,
    callLogBodies: true,
    faultSeed: 1,
  };
}

/** Kinds of injected faults. */
export type FaultKind =
  /** HTTP 500 with a JSON body. */
  | 'http500'
  /** HTTP 503 with a JSON body. */
  | 'http503'
  /** HTTP 503 with `<html>…maintenance…</html>`. */
  | 'html'
  /** The throttling answer (settings.throttleStatus / throttleBody). */
  | 'throttle'
  /** ES01-01 for a valid key (auth flap). */
  | 'authFlap'
  /** The request is processed, then the answer is held for `delayMs` (the client times out). */
  | 'timeout'
  /** The connection is dropped without an answer. */
  | 'reset';

/** One fault rule. A call that matches takes the first rule that fires. */
export interface FaultRule {
  kind: FaultKind;
  /** Short function name (`searchOrder`, `inventoryBulkUpsert`, …); absent = every function. */
  function?: string;
  /** Only this shop; absent = every shop. */
  shopId?: string;
  /** Probability per matching call, 0..1 (default 1). */
  rate?: number;
  /** Fire only for this many matching calls, then retire (absent = forever). */
  count?: number;
  /** For `timeout`: how long the answer is held, in ms (default 60 s). */
  delayMs?: number;
  /** Active only from this sim-clock time on (ISO; absent = from now): a burst's start. */
  from?: string;
  /** Active only before this sim-clock time (ISO; absent = forever): a burst's end. */
  to?: string;
}

/** A maintenance window in sim-clock time (ISO strings); all RMS calls answer 503 HTML in it. */
export interface MaintenanceWindow {
  from: string;
  to: string;
}

export interface FaultPlan {
  rules: FaultRule[];
  maintenance: MaintenanceWindow | null;
}
