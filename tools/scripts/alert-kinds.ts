/**
 * Every alert kind a person can be told about, for the tool scripts (demo, chaos) that Node runs
 * with type stripping and so cannot import @smartship/contracts (its classes use decorators).
 * alert-kinds.spec.ts keeps it equal to NOTIFICATION_KINDS.
 */
export const ALERT_KINDS = [
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
  'import_errors',
  'account_locked',
];
