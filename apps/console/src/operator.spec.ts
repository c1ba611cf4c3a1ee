import { translate } from './i18n/messages';
import {
  OPERATOR_HOME,
  healthBadge,
  healthOf,
  isOperatorPath,
  landingPath,
  licenceDaysLeft,
  problemLabels,
  sortShops,
  sortTenants,
  tenantIdOfPath,
} from './operator';
import type { OperatorShopView, OperatorTenantView, ShopProblem } from './operator';

function tenant(id: string, changes: Partial<OperatorTenantView> = {}): OperatorTenantView {
  return {
    id,
    name: `Tenant ${id}`,
    createdAt: '2026-01-01T00:00:00.000Z',
    disabledAt: null,
    users: 1,
    activeTokens: 1,
    shops: 1,
    shopsWithProblems: 0,
    worstHealth: 'ok',
    ...changes,
  };
}

function shop(shopName: string, problems: ShopProblem[] = []): OperatorShopView {
  return {
    tenantId: 't',
    shopId: `id-${shopName}`,
    shopName,
    status: 'active',
    licenceKeyDaysLeft: 60,
    needsReauth: false,
    lastSuccessfulPullAt: null,
    secondsSinceLastPull: null,
    pullFailingSince: null,
    unmappedLines: 0,
    oldestUnmappedAt: null,
    unpublishableOrders: 0,
    pendingShippingReports: 0,
    failingStockListings: 0,
    throttledCalls24h: 0,
    problems,
  };
}

describe('where people land', () => {
  it('sends an operator to the tenants from any seller page, and keeps operator pages', () => {
    expect(landingPath('operator', '/')).toBe(OPERATOR_HOME);
    expect(landingPath('operator', '/shops')).toBe('/operator/tenants');
    expect(landingPath('operator', '/people')).toBe('/operator/tenants');
    expect(landingPath('operator', '/operator/tenants/abc')).toBeNull();
    expect(landingPath('operator', '/account')).toBeNull();
  });

  it('sends a seller to the shops from `/` or an operator page, and keeps seller pages', () => {
    expect(landingPath('owner', '/')).toBe('/shops');
    expect(landingPath('viewer', '/operator/tenants')).toBe('/shops');
    expect(landingPath('staff', '/skus')).toBeNull();
    expect(landingPath('admin', '/account')).toBeNull();
  });

  it('reads the tenant id of a tenant page', () => {
    expect(tenantIdOfPath('/operator/tenants/3f1c')).toBe('3f1c');
    expect(tenantIdOfPath('/operator/tenants/3f1c/')).toBe('3f1c');
    expect(tenantIdOfPath('/operator/tenants')).toBeNull();
    expect(tenantIdOfPath('/operator/tenants/a/b')).toBeNull();
    expect(isOperatorPath('/operatorx')).toBe(false);
  });
});

describe('shop health', () => {
  it('is critical when orders stop, a warning for an expiring key or held lines, else ok', () => {
    expect(healthOf([])).toBe('ok');
    expect(healthOf(['license_expiring', 'unmapped_lines'])).toBe('warning');
    expect(healthOf(['unmapped_lines', 'pull_failing'])).toBe('critical');
    expect(healthOf(['needs_reauth'])).toBe('critical');
  });

  it('shows a badge per health, and "unknown" without one or when the services did not answer', () => {
    expect(healthBadge('ok')).toEqual({ key: 'op.health.ok', tone: 'ok' });
    expect(healthBadge('warning')).toEqual({ key: 'op.health.warning', tone: 'warn' });
    expect(healthBadge('critical')).toEqual({ key: 'op.health.critical', tone: 'bad' });
    expect(healthBadge(null)).toEqual({ key: 'op.health.unknown', tone: 'muted' });
    expect(healthBadge('critical', false)).toEqual({ key: 'op.health.unknown', tone: 'muted' });
    expect(translate('ko', healthBadge(null).key)).toBe('알 수 없음');
    expect(translate('ja', healthBadge('critical').key)).toBe('緊急');
  });

  it('labels problems in the chosen language, critical first, unknown codes left out', () => {
    const labels = problemLabels(['unmapped_lines', 'pull_failing', 'something_new']);
    expect(labels.map(({ problem, tone }) => [problem, tone])).toEqual([
      ['pull_failing', 'bad'],
      ['unmapped_lines', 'warn'],
    ]);
    expect(labels.map(({ key }) => translate('ko', key))).toEqual([
      '주문 수집 실패 중',
      '미매핑 주문 줄 대기',
    ]);
    expect(translate('en', problemLabels(['license_expired'])[0].key)).toBe('Key expired');
  });

  it('counts whole days left on a licence key', () => {
    expect(licenceDaysLeft(13.9)).toBe(13);
    expect(licenceDaysLeft(-0.2)).toBe(-1);
  });
});

describe('sorting', () => {
  it('lists working tenants before disabled ones, the worst first, else in the gateway order', () => {
    const items = [
      tenant('a'),
      tenant('b', { worstHealth: null, shops: 0 }),
      tenant('c', { worstHealth: 'critical', shopsWithProblems: 1 }),
      tenant('d', { worstHealth: 'critical', disabledAt: '2026-02-01T00:00:00.000Z' }),
      tenant('e', { worstHealth: 'warning', shopsWithProblems: 1 }),
      tenant('f', { worstHealth: 'critical', shopsWithProblems: 3 }),
      tenant('g'),
    ];
    expect(sortTenants(items).map(({ id }) => id)).toEqual(['f', 'c', 'e', 'a', 'g', 'b', 'd']);
    // The input is left as it was.
    expect(items[0].id).toBe('a');
  });

  it("lists a tenant's shops worst first, then by name", () => {
    const shops = [
      shop('zeta'),
      shop('beta', ['unmapped_lines']),
      shop('alpha'),
      shop('omega', ['needs_reauth']),
      shop('gamma', ['license_expiring', 'unmapped_lines']),
    ];
    expect(sortShops(shops).map(({ shopName }) => shopName)).toEqual([
      'omega',
      'gamma',
      'beta',
      'alpha',
      'zeta',
    ]);
  });
});
