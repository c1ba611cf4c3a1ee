import type { ShopStatus } from '@smartship/contracts';

import type { SessionUser } from './access';
import type { MessageKey } from './i18n/messages';

/**
 * The operator console's pure logic: which pages an operator has, a tenant's and a shop's
 * health as a badge, problems as labels, and the order tenants and shops are listed in. The
 * shapes mirror the gateway's views (apps/gateway/src/operator/*.view.ts).
 */

/** Why a shop is listed as having a problem (the gateway's SHOP_PROBLEMS, in its order). */
export const SHOP_PROBLEMS = [
  'needs_reauth',
  'license_expired',
  'license_expiring',
  'pull_failing',
  'unmapped_lines',
  'unpublishable_orders',
  'stock_push_failing',
] as const;
export type ShopProblem = (typeof SHOP_PROBLEMS)[number];

/** How bad a shop (or a tenant's worst shop) is. */
export const SHOP_HEALTHS = ['ok', 'warning', 'critical'] as const;
export type ShopHealth = (typeof SHOP_HEALTHS)[number];

/** `GET /operator/tenants` items. */
export interface OperatorTenantView {
  id: string;
  name: string;
  createdAt: string;
  /** When an operator disabled it; null while it works. */
  disabledAt: string | null;
  users: number;
  activeTokens: number;
  /** null when the services did not answer. */
  shops: number | null;
  shopsWithProblems: number | null;
  /** null without shops or when the services did not answer. */
  worstHealth: ShopHealth | null;
}

/** `GET /operator/tenants/:id` shops and `GET /operator/shops` items. */
export interface OperatorShopView {
  tenantId: string;
  shopId: string;
  shopName: string;
  status: ShopStatus;
  licenceKeyDaysLeft: number;
  needsReauth: boolean;
  lastSuccessfulPullAt: string | null;
  secondsSinceLastPull: number | null;
  pullFailingSince: string | null;
  unmappedLines: number;
  oldestUnmappedAt: string | null;
  unpublishableOrders: number;
  pendingShippingReports: number;
  failingStockListings: number;
  throttledCalls24h: number;
  problems: ShopProblem[];
}

/** Where the operator console starts. */
export const OPERATOR_HOME = '/operator/tenants';

export function isOperator(user: Pick<SessionUser, 'role'> | null | undefined): boolean {
  return user?.role === 'operator';
}

/** Pages an operator may open: the operator pages and their own account. */
export function isOperatorPath(path: string): boolean {
  return path === '/account' || path === '/operator' || path.startsWith('/operator/');
}

/**
 * Where someone lands after signing in (or when the page they are on is not theirs): an
 * operator on a seller page goes to the tenants, a seller on an operator page (or on `/`) to the
 * shops; null: stay.
 */
export function landingPath(role: SessionUser['role'], path: string): string | null {
  if (role === 'operator') return isOperatorPath(path) ? null : OPERATOR_HOME;
  if (path === '/' || path === '' || path === '/operator' || path.startsWith('/operator/')) {
    return '/shops';
  }
  return null;
}

/** The tenant id of `/operator/tenants/:id`, or null for any other path. */
export function tenantIdOfPath(path: string): string | null {
  const match = /^\/operator\/tenants\/([^/]+)\/?$/.exec(path);
  return match ? decodeURIComponent(match[1]) : null;
}

/** Problems that only warn; the others stop orders or need the seller now (the gateway's rule). */
const WARNING_PROBLEMS: readonly ShopProblem[] = ['license_expiring', 'unmapped_lines'];

export function healthOf(problems: readonly ShopProblem[]): ShopHealth {
  if (problems.length === 0) return 'ok';
  return problems.every((problem) => WARNING_PROBLEMS.includes(problem)) ? 'warning' : 'critical';
}

/** A health as a badge: its text and colour class (`badge ok|warn|bad|muted`). */
export interface HealthBadge {
  key: MessageKey;
  tone: 'ok' | 'warn' | 'bad' | 'muted';
}

const HEALTH_BADGES: Record<ShopHealth, HealthBadge> = {
  ok: { key: 'op.health.ok', tone: 'ok' },
  warning: { key: 'op.health.warning', tone: 'warn' },
  critical: { key: 'op.health.critical', tone: 'bad' },
};

/**
 * The badge for a health; "unknown" when there is none (no shops, or the services did not
 * answer: `available` false).
 */
export function healthBadge(health: ShopHealth | null, available = true): HealthBadge {
  if (!available || health === null) return { key: 'op.health.unknown', tone: 'muted' };
  return HEALTH_BADGES[health];
}

const PROBLEM_KEYS: Record<ShopProblem, MessageKey> = {
  needs_reauth: 'op.problem.needs_reauth',
  license_expired: 'op.problem.license_expired',
  license_expiring: 'op.problem.license_expiring',
  pull_failing: 'op.problem.pull_failing',
  unmapped_lines: 'op.problem.unmapped_lines',
  unpublishable_orders: 'op.problem.unpublishable_orders',
  stock_push_failing: 'op.problem.stock_push_failing',
};

/**
 * A shop's problems as labels, the critical ones first, each once; a problem this console does
 * not know yet (a newer gateway) is left out rather than shown as a raw code.
 */
export function problemLabels(
  problems: readonly string[],
): { problem: ShopProblem; key: MessageKey; tone: 'warn' | 'bad' }[] {
  const known = SHOP_PROBLEMS.filter((problem) => problems.includes(problem));
  const tone = (problem: ShopProblem) => (WARNING_PROBLEMS.includes(problem) ? 'warn' : 'bad');
  return [
    ...known.filter((problem) => tone(problem) === 'bad'),
    ...known.filter((problem) => tone(problem) === 'warn'),
  ].map((problem) => ({ problem, key: PROBLEM_KEYS[problem], tone: tone(problem) }));
}

/** Worst first; unknown (null) after ok, as there is nothing to look at. */
function healthRank(health: ShopHealth | null): number {
  return health === null ? -1 : SHOP_HEALTHS.indexOf(health);
}

/**
 * Tenants as the list shows them: working tenants before disabled ones, then the worst health
 * first, then more shops with problems, then the gateway's order (newest first).
 */
export function sortTenants(items: readonly OperatorTenantView[]): OperatorTenantView[] {
  return items
    .map((tenant, index) => ({ tenant, index }))
    .sort(
      (a, b) =>
        Number(a.tenant.disabledAt !== null) - Number(b.tenant.disabledAt !== null) ||
        healthRank(b.tenant.worstHealth) - healthRank(a.tenant.worstHealth) ||
        (b.tenant.shopsWithProblems ?? 0) - (a.tenant.shopsWithProblems ?? 0) ||
        a.index - b.index,
    )
    .map(({ tenant }) => tenant);
}

/** A tenant's shops: the worst health first, then more problems, then by shop name. */
export function sortShops(items: readonly OperatorShopView[]): OperatorShopView[] {
  return [...items].sort(
    (a, b) =>
      SHOP_HEALTHS.indexOf(healthOf(b.problems)) - SHOP_HEALTHS.indexOf(healthOf(a.problems)) ||
      b.problems.length - a.problems.length ||
      a.shopName.localeCompare(b.shopName),
  );
}

/** Whole days left on a licence key, as the table shows them (never fractions). */
export function licenceDaysLeft(days: number): number {
  return Math.floor(days);
}
