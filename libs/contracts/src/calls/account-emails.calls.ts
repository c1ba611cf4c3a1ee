import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsUUID, Matches, ValidateNested } from 'class-validator';

import { IsIsoDateTime, IsNonEmptyString, IsNullable } from '../decorators';
import {
  SHOP_ALERT_SEVERITIES,
  TENANT_ALERT_KINDS,
  type ShopAlertSeverity,
  type TenantAlertKind,
} from '../constants/alerts';
import { TenantAlertDetails } from '../events/tenant-alert/tenant-alert.event';
import { CallActor } from './shops.calls';

/**
 * Calls the gateway makes to the notifications service about people (TCP, like the others):
 * the e-mails that carry a secret link (sent at once and never stored, so the link's token is
 * nowhere at rest), and alerts the gateway raises itself (an account locked).
 */
export const ACCOUNT_CALLS = {
  sendEmail: 'notifications.account-emails.send',
  raiseAlert: 'notifications.alerts.raise',
} as const;

/** `invitation`: join a tenant (link valid 7 days). `password_reset`: choose a new password (1 hour). */
export const ACCOUNT_EMAIL_KINDS = ['invitation', 'password_reset'] as const;
export type AccountEmailKind = (typeof ACCOUNT_EMAIL_KINDS)[number];

export class SendAccountEmailCall {
  @IsIn(ACCOUNT_EMAIL_KINDS)
  kind: AccountEmailKind;

  /** The tenant whose language the e-mail is in; null for an operator (English). */
  @IsNullable()
  @IsUUID()
  tenantId: string | null;

  @IsEmail()
  to: string;

  /** The secret of the link (`inv_…` or `pwr_…`); the console page takes it from the fragment. */
  @Matches(/^(inv|pwr)_[A-Za-z0-9_-]{43}$/)
  token: string;

  @IsIsoDateTime()
  expiresAt: string;

  /** The tenant's name, shown in an invitation. */
  @IsOptional()
  @IsNonEmptyString(200)
  tenantName?: string | null;

  /** The role offered by an invitation. */
  @IsOptional()
  @IsIn(['owner', 'admin', 'staff', 'viewer'])
  role?: string | null;
}

export class RaiseAlertBody {
  @IsIn(TENANT_ALERT_KINDS)
  kind: TenantAlertKind;

  @IsIn(SHOP_ALERT_SEVERITIES)
  severity: ShopAlertSeverity;

  @IsOptional()
  @ValidateNested()
  @Type(() => TenantAlertDetails)
  details?: TenantAlertDetails | null;
}

/** A tenant alert raised by the gateway; notifications treats it like a `tenant.alert` event. */
export class RaiseAlertCall {
  @ValidateNested()
  @Type(() => CallActor)
  actor: CallActor;

  @ValidateNested()
  @Type(() => RaiseAlertBody)
  body: RaiseAlertBody;
}
