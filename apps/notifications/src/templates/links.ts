import type { NotificationKind } from '@smartship/contracts';

import type { AlertFacts } from './alert-messages';

/**
 * The console page that fixes an alert (a path; CONSOLE_URL goes in front of it in e-mails and
 * webhooks): keys on the shop's page, unmapped lines on the mapping page, one failed order on its
 * own page.
 */
export function consoleLink(
  kind: NotificationKind,
  shopId: string | null,
  facts: AlertFacts | null | undefined,
): string {
  const shopPage = shopId ? `/shops/${encodeURIComponent(shopId)}` : '/shops';
  switch (kind) {
    case 'license_expiring':
    case 'license_expired':
    case 'auth_failed':
    case 'pull_failing':
      return shopPage;
    case 'orders_unmapped':
      return '/mapping';
    case 'report_failed':
    case 'order_unpublishable': {
      const orders = facts?.orderNumbers ?? [];
      return orders.length === 1 ? `/orders/${encodeURIComponent(orders[0])}` : '/orders';
    }
    case 'confirmation_deadline':
      return '/orders';
    case 'stock_push_failing':
    case 'stock_drift':
      return '/inventory';
    case 'import_errors':
      return '/skus';
    case 'account_locked':
      return '/users';
  }
}

/** CONSOLE_URL + path, without a doubled slash. */
export function absoluteLink(consoleUrl: string, path: string): string {
  return `${consoleUrl.replace(/\/+$/, '')}${path}`;
}
