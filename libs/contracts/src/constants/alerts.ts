/**
 * Kinds of shop alerts, with their producer:
 * - `license_expiring` (credentials): the licence key expires in 14, 7, 3 or 1 days;
 * - `license_expired` (credentials): it has expired, polls and reports stop;
 * - `auth_failed` (ingestion, credentials): Rakuten refused the keys, the shop needs re-auth;
 * - `confirmation_deadline` (ingestion): orders close to Rakuten's confirmation deadline;
 * - `report_failed` (ingestion): Rakuten refused a shipping report for good;
 * - `pull_failing` (ingestion): every pull has failed for longer than a threshold;
 * - `stock_push_failing` (ingestion): stock pushes to Rakuten keep failing;
 * - `stock_drift` (ingestion): a drift check found listings whose Rakuten stock differed from the
 *   platform's (changed in RMS by hand, or a lost push) and pushed the platform's value again;
 * - `order_unpublishable` (ingestion): an order pulled from Rakuten cannot be published (it does
 *   not fit the `order.pulled` contract) and will not ship until someone looks;
 * - `orders_unmapped` (mapping): order lines held unmapped for longer than a threshold, one alert
 *   with the count, not one per order.
 * Added kinds extend v1: a consumer built before a kind existed dead-letters it, so roll out
 * consumers first.
 */
export const SHOP_ALERT_KINDS = [
  'license_expiring',
  'license_expired',
  'auth_failed',
  'confirmation_deadline',
  'report_failed',
  'pull_failing',
  'stock_push_failing',
  'stock_drift',
  'order_unpublishable',
  'orders_unmapped',
] as const;

/** What needs attention for one shop (see SHOP_ALERT_KINDS). */
export type ShopAlertKind = (typeof SHOP_ALERT_KINDS)[number];

/** How urgent an alert is. */
export const SHOP_ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;

/** Urgency: `info` for awareness, `warning` to act soon, `critical` when work has stopped. */
export type ShopAlertSeverity = (typeof SHOP_ALERT_SEVERITIES)[number];

/**
 * Kinds of tenant alerts (about the tenant as a whole, not one shop):
 * - `import_errors` (mapping): a SKU import finished with rows it refused.
 * - `account_locked` (gateway): too many failed sign-ins locked a person's account.
 */
export const TENANT_ALERT_KINDS = ['import_errors', 'account_locked'] as const;

/** What needs attention for a tenant as a whole (see TENANT_ALERT_KINDS). */
export type TenantAlertKind = (typeof TENANT_ALERT_KINDS)[number];

/** Every alert kind a person can be told about: shop alerts and tenant alerts. */
export const NOTIFICATION_KINDS = [...SHOP_ALERT_KINDS, ...TENANT_ALERT_KINDS] as const;

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Languages of the messages; Korean sellers selling in Japan are the main users. */
export const NOTIFICATION_LANGUAGES = ['ko', 'ja', 'en'] as const;

export type NotificationLanguage = (typeof NOTIFICATION_LANGUAGES)[number];

/** Webhook body formats: Standard Webhooks JSON, or a Slack incoming-webhook `{ text }`. */
export const WEBHOOK_FORMATS = ['standard', 'slack'] as const;

export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** Most recipients and most endpoints one tenant may have (each). */
export const MAX_NOTIFICATION_TARGETS = 50;

/** Longest webhook URL accepted. */
export const MAX_WEBHOOK_URL_LENGTH = 2000;
