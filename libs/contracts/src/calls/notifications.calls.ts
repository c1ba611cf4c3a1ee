import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { CallActor } from './shops.calls';
import {
  NOTIFICATION_KINDS,
  type NotificationKind,
  NOTIFICATION_LANGUAGES,
  type NotificationLanguage,
  WEBHOOK_FORMATS,
  type WebhookFormat,
  MAX_WEBHOOK_URL_LENGTH,
} from '../constants/alerts';

/**
 * Calls the gateway makes to the notifications service over the TCP transport: the console's
 * notification list, the tenant's settings, e-mail recipients and webhook endpoints. The same
 * classes validate the HTTP bodies in the gateway and the calls in the service.
 */
export const NOTIFICATION_CALLS = {
  list: 'notifications.list',
  markRead: 'notifications.mark-read',
  getSettings: 'notifications.settings.get',
  updateSettings: 'notifications.settings.update',
  createRecipient: 'notifications.recipients.create',
  updateRecipient: 'notifications.recipients.update',
  deleteRecipient: 'notifications.recipients.delete',
  testRecipient: 'notifications.recipients.test',
  createEndpoint: 'notifications.endpoints.create',
  updateEndpoint: 'notifications.endpoints.update',
  deleteEndpoint: 'notifications.endpoints.delete',
  rotateEndpointSecret: 'notifications.endpoints.rotate-secret',
  testEndpoint: 'notifications.endpoints.test',
  endpointDeliveries: 'notifications.endpoints.deliveries',
} as const;

const KINDS_MESSAGE = `each of $property must be one of: ${NOTIFICATION_KINDS.join(', ')}`;

/** Query strings carry text; the TCP call carries the boolean itself. */
function toBoolean({ value }: { value: unknown }): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

function toInteger({ value }: { value: unknown }): unknown {
  return typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
}

function trimmed({ value }: { value: unknown }): unknown {
  return typeof value === 'string' ? value.trim() : value;
}

/** The alert kinds a recipient or endpoint gets: unique, known; empty means none. */
function IsKindList(): PropertyDecorator {
  return (target, key) => {
    IsArray()(target, key);
    ArrayMaxSize(NOTIFICATION_KINDS.length)(target, key);
    ArrayUnique({ message: '$property must not list a kind twice' })(target, key);
    IsIn(NOTIFICATION_KINDS, { each: true, message: KINDS_MESSAGE })(target, key);
  };
}

/** An https URL (the service also refuses internal addresses, which needs DNS). */
function IsWebhookUrl(): PropertyDecorator {
  return (target, key) => {
    Transform(trimmed)(target, key);
    IsString()(target, key);
    MaxLength(MAX_WEBHOOK_URL_LENGTH)(target, key);
    Matches(/^https:\/\/[^\s/?#]+(\/[^\s]*)?$/i, {
      message: '$property must be an https:// URL, e.g. https://hooks.example.com/smartship',
    })(target, key);
  };
}

/** `GET /notifications?unread=true&limit=50&cursor=…`. */
export class ListNotificationsQuery {
  /** Only notifications not yet read. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  unread?: boolean;

  /** Page size, 1–200 (default 50). */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  /** `nextCursor` of the previous page, as it was given. */
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: '$property must be a nextCursor as returned' })
  cursor?: string;
}

/** `POST /notifications/read`: some notifications, or all of them. */
export class MarkNotificationsReadBody {
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  ids?: string[];

  /** true marks every notification of the tenant read. */
  @IsOptional()
  @IsIn([true], { message: '$property must be true when given' })
  all?: true;
}

/** `PUT /notification-settings`. */
export class UpdateNotificationSettingsBody {
  @IsOptional()
  @IsIn(NOTIFICATION_LANGUAGES)
  language?: NotificationLanguage;

  /** The same alert is sent at most once in this many minutes (5–10080). */
  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(10_080)
  windowMinutes?: number;

  /** Hour of the daily digest, Japan time (0–23). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(23)
  digestHourJst?: number;
}

/** `POST /notification-recipients`. */
export class CreateRecipientBody {
  @Transform(trimmed)
  @IsString()
  @MaxLength(254)
  @IsEmail({}, { message: '$property must be an e-mail address, e.g. ops@example.com' })
  email: string;

  @IsKindList()
  kinds: string[];

  /** true: a daily digest instead of one mail per alert (critical ones still go at once). */
  @IsOptional()
  @IsBoolean()
  digest?: boolean;
}

/** `PATCH /notification-recipients/:id`. */
export class UpdateRecipientBody {
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(254)
  @IsEmail({}, { message: '$property must be an e-mail address, e.g. ops@example.com' })
  email?: string;

  @IsOptional()
  @IsKindList()
  kinds?: string[];

  @IsOptional()
  @IsBoolean()
  digest?: boolean;
}

/** `POST /webhook-endpoints`. */
export class CreateEndpointBody {
  @IsWebhookUrl()
  url: string;

  @IsKindList()
  kinds: string[];

  @IsOptional()
  @IsIn(WEBHOOK_FORMATS)
  format?: WebhookFormat;
}

/** `PATCH /webhook-endpoints/:id`. */
export class UpdateEndpointBody {
  @IsOptional()
  @IsWebhookUrl()
  url?: string;

  @IsOptional()
  @IsKindList()
  kinds?: string[];

  @IsOptional()
  @IsIn(WEBHOOK_FORMATS)
  format?: WebhookFormat;

  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

/** `GET /webhook-endpoints/:id/deliveries?limit=`. */
export class ListDeliveriesQuery {
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

/* ---- TCP calls: the body (or query) plus who calls ---- */

export class NotificationActorCall {
  @ValidateNested()
  @Type(() => CallActor)
  actor: CallActor;
}

export class ListNotificationsCall extends NotificationActorCall {
  @ValidateNested()
  @Type(() => ListNotificationsQuery)
  query: ListNotificationsQuery;
}

export class MarkNotificationsReadCall extends NotificationActorCall {
  @ValidateNested()
  @Type(() => MarkNotificationsReadBody)
  body: MarkNotificationsReadBody;
}

export class UpdateNotificationSettingsCall extends NotificationActorCall {
  @ValidateNested()
  @Type(() => UpdateNotificationSettingsBody)
  body: UpdateNotificationSettingsBody;
}

export class CreateRecipientCall extends NotificationActorCall {
  @ValidateNested()
  @Type(() => CreateRecipientBody)
  body: CreateRecipientBody;
}

/** A call about one recipient or endpoint of the caller's tenant. */
export class NotificationTargetRefCall extends NotificationActorCall {
  @IsUUID()
  id: string;
}

export class UpdateRecipientCall extends NotificationTargetRefCall {
  @ValidateNested()
  @Type(() => UpdateRecipientBody)
  body: UpdateRecipientBody;
}

export class CreateEndpointCall extends NotificationActorCall {
  @ValidateNested()
  @Type(() => CreateEndpointBody)
  body: CreateEndpointBody;
}

export class UpdateEndpointCall extends NotificationTargetRefCall {
  @ValidateNested()
  @Type(() => UpdateEndpointBody)
  body: UpdateEndpointBody;
}

export class ListDeliveriesCall extends NotificationTargetRefCall {
  @ValidateNested()
  @Type(() => ListDeliveriesQuery)
  query: ListDeliveriesQuery;
}

/* ---- Views (what the calls answer; the HTTP API returns them as they are) ---- */

export type NotificationSeverity = 'info' | 'warning' | 'critical';

/** One alert accepted for the tenant: the console's list. */
export interface NotificationView {
  id: string;
  kind: NotificationKind;
  severity: NotificationSeverity;
  shopId: string | null;
  shopName: string | null;
  /** In the tenant's language. */
  title: string;
  message: string;
  /** Console path that fixes it, e.g. `/shops/<id>`. */
  link: string;
  createdAt: string;
  readAt: string | null;
  /** The same alert again inside the window, not sent again. */
  suppressedRepeats: number;
}

export interface NotificationListView {
  items: NotificationView[];
  unreadCount: number;
  nextCursor: string | null;
}

export interface RecipientView {
  id: string;
  email: string;
  kinds: string[];
  digest: boolean;
  createdAt: string;
}

export interface EndpointView {
  id: string;
  url: string;
  kinds: string[];
  format: WebhookFormat;
  enabled: boolean;
  /** `whsec_…abcd`: the last 4 characters of the current secret. */
  secretHint: string;
  createdAt: string;
}

/** The answer to creation: the only time the secret is shown. */
export interface CreatedEndpointView extends EndpointView {
  secret: string;
}

export interface NotificationSettingsView {
  language: NotificationLanguage;
  windowMinutes: number;
  digestHourJst: number;
  recipients: RecipientView[];
  endpoints: EndpointView[];
}

export type DeliveryStatus = 'pending' | 'sending' | 'succeeded' | 'failed';

export interface DeliveryView {
  id: string;
  /** null for a test delivery. */
  notificationId: string | null;
  kind: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
}
