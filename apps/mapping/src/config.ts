import { InternalServiceConfig } from '@smartship/service-kit';
import { IsInt, Max, Min } from 'class-validator';

/** The mapping service's environment (see .env.example and apps/mapping/README.md). */
export class MappingConfig extends InternalServiceConfig {
  override HTTP_PORT = 3103;
  override TCP_PORT = 4103;

  /**
   * `shop.alert` orders_unmapped when a shop's oldest held order has waited longer than this,
   * minutes; once until the shop's unmapped queue has been empty.
   */
  @IsInt()
  @Min(0)
  @Max(7 * 24 * 60)
  UNMAPPED_ALERT_MINUTES: number = 60;

  /** How often the unmapped queue is checked for that alert, ms (one instance checks at a time). */
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  UNMAPPED_CHECK_INTERVAL_MS: number = 60_000;

  /** How often each instance looks for queued SKU import jobs (and ones whose worker died), ms. */
  @IsInt()
  @Min(100)
  @Max(60_000)
  IMPORT_POLL_INTERVAL_MS: number = 2_000;
}
