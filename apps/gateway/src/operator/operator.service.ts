import { Inject, Injectable } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import {
  OPERATOR_CALLS,
  type OperatorCredentialsShopView,
  type OperatorIngestionShopView,
  type OperatorMappingShopView,
  type OperatorShopsCall,
} from '@smartship/contracts';
import { SERVICE_CONFIG } from '@smartship/service-kit';

import { GatewayConfig } from '../config';
import { callService } from '../service-clients/service-call';
import { clientToken, type InternalService } from '../service-clients/service-clients';
import type { OperatorShopDoc, ShopProblem } from './operator-shop.view';

/** Days left at which a licence key counts as a problem (credentials' first warning). */
const LICENSE_WARNING_DAYS = 14;

/**
 * The operator's view of every tenant's shops: credentials lists them (status, licence key),
 * ingestion and mapping add what they own (pulls, unpublishable orders, shipping reports, stock
 * pushes, throttling; held lines), all three asked at once over TCP. A shop one service does
 * not know yet (its shop.updated not consumed) shows zeros and nulls for that service's facts.
 */
@Injectable()
export class OperatorService {
  constructor(
    @Inject(clientToken('credentials')) private readonly credentials: ClientProxy,
    @Inject(clientToken('ingestion')) private readonly ingestion: ClientProxy,
    @Inject(clientToken('mapping')) private readonly mapping: ClientProxy,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async shops(query: { tenantId?: string; problem?: boolean }): Promise<OperatorShopDoc[]> {
    const call: OperatorShopsCall = query.tenantId ? { tenantId: query.tenantId } : {};
    const [shops, pulls, held] = await Promise.all([
      this.call<OperatorCredentialsShopView>(
        this.credentials,
        'credentials',
        OPERATOR_CALLS.credentialsShops,
        call,
      ),
      this.call<OperatorIngestionShopView>(
        this.ingestion,
        'ingestion',
        OPERATOR_CALLS.ingestionShopHealth,
        call,
      ),
      this.call<OperatorMappingShopView>(
        this.mapping,
        'mapping',
        OPERATOR_CALLS.mappingShopHealth,
        call,
      ),
    ]);
    const pullsByShop = new Map(pulls.map((row) => [row.shopId, row]));
    const heldByShop = new Map(held.map((row) => [row.shopId, row]));
    const now = Date.now();
    const rows = shops.map((shop) =>
      toRow(shop, pullsByShop.get(shop.shopId), heldByShop.get(shop.shopId), now),
    );
    if (query.problem === undefined) return rows;
    return rows.filter((row) => row.problems.length > 0 === query.problem);
  }

  private async call<T>(
    client: ClientProxy,
    service: InternalService,
    pattern: string,
    payload: OperatorShopsCall,
  ): Promise<T[]> {
    const answer = await callService<{ items: T[] }>(
      client,
      service,
      pattern,
      payload,
      this.config.SERVICE_CALL_TIMEOUT_MS,
    );
    return answer.items;
  }
}

function toRow(
  shop: OperatorCredentialsShopView,
  pulls: OperatorIngestionShopView | undefined,
  held: OperatorMappingShopView | undefined,
  now: number,
): OperatorShopDoc {
  const lastPull = pulls?.lastSuccessfulPullAt ?? null;
  const row: Omit<OperatorShopDoc, 'problems'> = {
    tenantId: shop.tenantId,
    shopId: shop.shopId,
    shopName: shop.rakutenShopId,
    status: shop.status,
    licenceKeyDaysLeft: shop.licenseKeyDaysLeft,
    needsReauth: shop.needsReauth,
    lastSuccessfulPullAt: lastPull,
    secondsSinceLastPull: lastPull
      ? Math.max(0, Math.round((now - Date.parse(lastPull)) / 1000))
      : null,
    pullFailingSince: pulls?.pullFailingSince ?? null,
    unmappedLines: held?.unmappedLines ?? 0,
    oldestUnmappedAt: held?.oldestHeldAt ?? null,
    unpublishableOrders: pulls?.unpublishableOrders ?? 0,
    pendingShippingReports: pulls?.pendingShippingReports ?? 0,
    failingStockListings: pulls?.failingStockListings ?? 0,
    throttledCalls24h: pulls?.throttledCalls24h ?? 0,
  };
  return { ...row, problems: problemsOf(row) };
}

/** What an operator should look at; a disabled or suspended shop's licence is nobody's problem. */
function problemsOf(row: Omit<OperatorShopDoc, 'problems'>): ShopProblem[] {
  const problems: ShopProblem[] = [];
  if (row.needsReauth) problems.push('needs_reauth');
  if (row.status !== 'disabled' && row.status !== 'suspended') {
    if (row.licenceKeyDaysLeft <= 0) problems.push('license_expired');
    else if (row.licenceKeyDaysLeft <= LICENSE_WARNING_DAYS) problems.push('license_expiring');
  }
  if (row.pullFailingSince) problems.push('pull_failing');
  if (row.unmappedLines > 0) problems.push('unmapped_lines');
  if (row.unpublishableOrders > 0) problems.push('unpublishable_orders');
  if (row.failingStockListings > 0) problems.push('stock_push_failing');
  return problems;
}
