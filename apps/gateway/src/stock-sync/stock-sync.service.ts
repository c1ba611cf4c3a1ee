import { Inject, Injectable } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import {
  type LastStockDriftView,
  SHOP_CALLS,
  STOCK_SYNC_CALLS,
  type SafetyStockBody,
  type ShopRefCall,
  type ShopStockSettingsView,
  type SkuSafetyStockView,
} from '@smartship/contracts';
import { SERVICE_CONFIG } from '@smartship/service-kit';

import { actorOf, type TenantPrincipal } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { GatewayConfig } from '../config';
import { RateLimiter } from '../limits/rate-limiter';
import { callService } from '../service-clients/service-call';
import { clientToken } from '../service-clients/service-clients';
import { withShopSynced } from '../shops/shop-sync';

/**
 * Stock sync routes (README "Stock: safety stock and drift"): safety stock is mapping's (it
 * computes what each listing shows), the drift check ingestion's (it alone calls Rakuten). A
 * shop route first asks credentials for the shop, so that another tenant's or an unknown shop is
 * a 404 before anything is stored. Changes are audited after the service answered.
 */
@Injectable()
export class StockSyncService {
  constructor(
    @Inject(clientToken('credentials')) private readonly credentials: ClientProxy,
    @Inject(clientToken('mapping')) private readonly mapping: ClientProxy,
    @Inject(clientToken('ingestion')) private readonly ingestion: ClientProxy,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
    private readonly audit: AuditService,
    private readonly limiter: RateLimiter,
  ) {}

  async shopSettings(tenant: TenantPrincipal, shopId: string): Promise<ShopStockSettingsView> {
    await this.assertShop(tenant, shopId);
    return this.call(
      this.mapping,
      'mapping',
      STOCK_SYNC_CALLS.shopSettingsGet,
      ref(tenant, shopId),
    );
  }

  async putShopSettings(
    tenant: TenantPrincipal,
    shopId: string,
    body: SafetyStockBody,
  ): Promise<ShopStockSettingsView> {
    await this.assertShop(tenant, shopId);
    const view = await this.call<ShopStockSettingsView>(
      this.mapping,
      'mapping',
      STOCK_SYNC_CALLS.shopSettingsPut,
      { ...ref(tenant, shopId), body },
    );
    await this.audit.recordBy(tenant, 'shop.stock_settings_updated', 'shop', shopId, {
      safetyStock: view.safetyStock,
      republished: view.republished ?? 0,
    });
    return view;
  }

  skuSafetyStock(tenant: TenantPrincipal, skuId: string): Promise<SkuSafetyStockView> {
    return this.call(this.mapping, 'mapping', STOCK_SYNC_CALLS.skuSafetyStockGet, {
      actor: actorOf(tenant),
      skuId,
    });
  }

  async putSkuSafetyStock(
    tenant: TenantPrincipal,
    skuId: string,
    body: SafetyStockBody,
  ): Promise<SkuSafetyStockView> {
    const view = await this.call<SkuSafetyStockView>(
      this.mapping,
      'mapping',
      STOCK_SYNC_CALLS.skuSafetyStockPut,
      { actor: actorOf(tenant), skuId, body },
    );
    await this.audit.recordBy(tenant, 'sku.safety_stock_set', 'sku', skuId, {
      skuCode: view.skuCode,
      safetyStock: view.safetyStock,
      republished: view.republished ?? 0,
    });
    return view;
  }

  /** Reads the shop's stock back from Rakuten now: counts against `rakuten_calls`. */
  async driftCheck(tenant: TenantPrincipal, shopId: string): Promise<LastStockDriftView> {
    await this.limiter.consume(tenant.tenantId, ['rakuten_calls']);
    const result = await withShopSynced(this.credentials, this.config, tenant, shopId, (call) =>
      callService<LastStockDriftView>(
        this.ingestion,
        'ingestion',
        STOCK_SYNC_CALLS.driftCheck,
        call,
        this.config.PULL_CALL_TIMEOUT_MS,
      ),
    );
    await this.audit.recordBy(tenant, 'shop.stock_drift_checked', 'shop', shopId, {
      listings: result.check?.listings ?? 0,
      differences: result.check?.differences ?? 0,
    });
    return result;
  }

  lastDrift(tenant: TenantPrincipal, shopId: string): Promise<LastStockDriftView> {
    return withShopSynced(this.credentials, this.config, tenant, shopId, (call) =>
      this.call(this.ingestion, 'ingestion', STOCK_SYNC_CALLS.lastDrift, call),
    );
  }

  /** 404 (from credentials) unless the shop is the tenant's. */
  private async assertShop(tenant: TenantPrincipal, shopId: string): Promise<void> {
    await this.call(this.credentials, 'credentials', SHOP_CALLS.get, ref(tenant, shopId));
  }

  private call<T>(
    client: ClientProxy,
    service: 'credentials' | 'mapping' | 'ingestion',
    pattern: string,
    payload: unknown,
  ): Promise<T> {
    return callService<T>(client, service, pattern, payload, this.config.SERVICE_CALL_TIMEOUT_MS);
  }
}

function ref(tenant: TenantPrincipal, shopId: string): ShopRefCall {
  return { actor: actorOf(tenant), shopId };
}
