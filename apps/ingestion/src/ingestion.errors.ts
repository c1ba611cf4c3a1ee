import { ServiceError } from '@smartship/service-kit';

export enum IngestionErrorCode {
  SHOP_NOT_FOUND = 'SHOP_NOT_FOUND',
  /** The caller knows a newer revision of the shop than shop.updated has brought here yet. */
  SHOP_NOT_SYNCED = 'SHOP_NOT_SYNCED',
  SHOP_NOT_PULLABLE = 'SHOP_NOT_PULLABLE',
  PULL_IN_PROGRESS = 'PULL_IN_PROGRESS',
  BACKFILL_RUNNING = 'BACKFILL_RUNNING',
  DRIFT_CHECK_IN_PROGRESS = 'DRIFT_CHECK_IN_PROGRESS',
}

/** The HTTP status the gateway answers with, per code. Exhaustive: a new code must be mapped. */
const STATUS: Record<IngestionErrorCode, number> = {
  [IngestionErrorCode.SHOP_NOT_FOUND]: 404,
  [IngestionErrorCode.SHOP_NOT_SYNCED]: 503,
  [IngestionErrorCode.SHOP_NOT_PULLABLE]: 409,
  [IngestionErrorCode.PULL_IN_PROGRESS]: 409,
  [IngestionErrorCode.BACKFILL_RUNNING]: 409,
  [IngestionErrorCode.DRIFT_CHECK_IN_PROGRESS]: 409,
};

/** An error of the ingestion service that the caller can act on. */
export class IngestionError extends ServiceError {
  constructor(
    override readonly code: IngestionErrorCode,
    message: string,
    details?: unknown,
  ) {
    super(code, message, details);
  }

  get statusCode(): number {
    return STATUS[this.code];
  }
}
