import { IsIn, IsOptional } from 'class-validator';

import { IsCount, IsNonEmptyString, NestedObject } from '../../decorators';
import {
  SHOP_ALERT_SEVERITIES,
  TENANT_ALERT_KINDS,
  type ShopAlertSeverity,
  type TenantAlertKind,
} from '../../constants/alerts';

/** Machine-readable facts behind a tenant alert; which fields are set depends on `kind`. */
export class TenantAlertDetails {
  /** The import's id (import_errors). */
  @IsOptional()
  @IsNonEmptyString(100)
  importId?: string | null;

  /** The uploaded file's name as the seller gave it (import_errors). */
  @IsOptional()
  @IsNonEmptyString(300)
  fileName?: string | null;

  /** Rows in the file (import_errors). */
  @IsOptional()
  @IsCount(0)
  rowsTotal?: number | null;

  /** Rows refused (import_errors). */
  @IsOptional()
  @IsCount(0)
  rowsFailed?: number | null;

  /** The locked account's e-mail (account_locked). */
  @IsOptional()
  @IsNonEmptyString(320)
  email?: string | null;

  /** Failed sign-ins that locked it (account_locked). */
  @IsOptional()
  @IsCount(0)
  failures?: number | null;

  /** Until when it stays locked unless the password is reset (account_locked). */
  @IsOptional()
  @IsNonEmptyString(40)
  lockedUntil?: string | null;
}

/**
 * `tenant.alert` v1: something a seller must act on that belongs to no single shop, one event per
 * occurrence. Producers: mapping (events), gateway (the notifications.alerts.raise call). Consumer: notifications. Key: the tenant id. Envelope shopId null.
 */
export class TenantAlertData {
  /** What happened. */
  @IsIn(TENANT_ALERT_KINDS)
  kind: TenantAlertKind;

  /** How urgent it is. */
  @IsIn(SHOP_ALERT_SEVERITIES)
  severity: ShopAlertSeverity;

  /** Explanation a seller can act on (English); never contains secrets. */
  @IsNonEmptyString(2000)
  message: string;

  /** Machine-readable facts, when the kind has any. */
  @IsOptional()
  @NestedObject(() => TenantAlertDetails)
  details?: TenantAlertDetails | null;

  /** Makes one occurrence unique so repeats can be dropped, e.g. `import_errors:<importId>`. */
  @IsNonEmptyString(300)
  occurrenceKey: string;
}
