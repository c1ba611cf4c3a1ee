import { Inject, Injectable, Logger } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import {
  FULFILLMENT_CALLS,
  INGESTION_CALLS,
  type FulfillmentOrderDetailView,
  type FulfillmentOrderFilter,
  type FulfillmentOrderPageView,
  type FulfillmentOrderRefCall,
  type FulfillmentOrderView,
  type InventoryFilter,
  type ListFulfillmentOrdersCall,
  type ListInventoryCall,
  type ReleaseResultView,
  type SetInventoryBody,
  type SetInventoryCall,
  type SetInventoryResultView,
  type ShippingReportsCall,
  type ShippingReportsView,
  type ShipFulfillmentOrderBody,
  type ShipFulfillmentOrderCall,
  type ShipResultView,
  SHOP_CALLS,
  type ShopFulfillmentSettingsBody,
  type ShopFulfillmentSettingsGetCall,
  type ShopFulfillmentSettingsPutCall,
  type ShopFulfillmentSettingsView,
  type ShopRefCall,
  type StockPageView,
} from '@smartship/contracts';
import { SERVICE_CONFIG } from '@smartship/service-kit';

import { actorOf, type TenantPrincipal } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { GatewayConfig } from '../config';
import { callService } from '../service-clients/service-call';
import { clientToken } from '../service-clients/service-clients';

/**
 * The fulfillment-order and inventory routes: each is one call to the fulfillment service for the
 * authenticated tenant, and an audit entry once a change succeeded (a repeated confirmation that
 * changed nothing is not audited again). Shipped fulfillment orders also show their report to
 * Rakuten, asked from the ingestion service in one call per answer.
 */
@Injectable()
export class FulfillmentService {
  private readonly logger = new Logger(FulfillmentService.name);

  constructor(
    @Inject(clientToken('fulfillment')) private readonly fulfillment: ClientProxy,
    @Inject(clientToken('ingestion')) private readonly ingestion: ClientProxy,
    @Inject(clientToken('credentials')) private readonly credentials: ClientProxy,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
    private readonly audit: AuditService,
  ) {}

  async list(
    tenant: TenantPrincipal,
    filter: FulfillmentOrderFilter,
  ): Promise<FulfillmentOrderPageView> {
    const call: ListFulfillmentOrdersCall = { actor: actorOf(tenant), filter: { ...filter } };
    const page = await this.call<FulfillmentOrderPageView>(FULFILLMENT_CALLS.list, call);
    await this.withRakutenReports(tenant, page.items);
    return page;
  }

  async get(tenant: TenantPrincipal, id: string): Promise<FulfillmentOrderDetailView> {
    const order = await this.call<FulfillmentOrderDetailView>(
      FULFILLMENT_CALLS.get,
      ref(tenant, id),
    );
    await this.withRakutenReports(tenant, [order]);
    return order;
  }

  /**
   * Sets `rakutenReport` on the shipped ones: what ingestion knows of the report, null while it
   * has none, 'unavailable' when it could not be asked (the fulfillment data is still answered).
   */
  private async withRakutenReports(
    tenant: TenantPrincipal,
    orders: FulfillmentOrderView[],
  ): Promise<void> {
    const shipped = orders.filter((order) => order.status === 'shipped');
    if (shipped.length === 0) return;
    const call: ShippingReportsCall = {
      actor: actorOf(tenant),
      fulfillmentOrderIds: shipped.map((order) => order.id),
    };
    try {
      const { reports } = await callService<ShippingReportsView>(
        this.ingestion,
        'ingestion',
        INGESTION_CALLS.shippingReports,
        call,
        this.config.SERVICE_CALL_TIMEOUT_MS,
      );
      const byId = new Map(reports.map((report) => [report.fulfillmentOrderId, report]));
      for (const order of shipped) order.rakutenReport = byId.get(order.id) ?? null;
    } catch (error) {
      this.logger.warn(`shipping reports not available: ${(error as Error).message}`);
      for (const order of shipped) order.rakutenReport = 'unavailable';
    }
  }

  async release(tenant: TenantPrincipal, id: string): Promise<ReleaseResultView> {
    const result = await this.call<ReleaseResultView>(FULFILLMENT_CALLS.release, ref(tenant, id));
    if (result.released) {
      await this.audit.recordBy(tenant, 'fulfillment_order.released', 'fulfillment_order', id, {
        status: result.fulfillmentOrder.status,
      });
    }
    return result;
  }

  async ship(
    tenant: TenantPrincipal,
    id: string,
    body: ShipFulfillmentOrderBody,
  ): Promise<ShipResultView> {
    const call: ShipFulfillmentOrderCall = { ...ref(tenant, id), body: { ...body } };
    const result = await this.call<ShipResultView>(FULFILLMENT_CALLS.ship, call);
    if (!result.alreadyShipped) {
      await this.audit.recordBy(tenant, 'fulfillment_order.shipped', 'fulfillment_order', id, {
        carrierCode: body.carrierCode,
        parcels: body.trackingNumbers.length,
        shippingDate: body.shippingDate,
      });
    }
    return result;
  }

  listInventory(tenant: TenantPrincipal, filter: InventoryFilter): Promise<StockPageView> {
    const call: ListInventoryCall = { actor: actorOf(tenant), filter: { ...filter } };
    return this.call(FULFILLMENT_CALLS.inventoryList, call);
  }

  async setInventory(
    tenant: TenantPrincipal,
    skuCode: string,
    body: SetInventoryBody,
  ): Promise<SetInventoryResultView> {
    const call: SetInventoryCall = { actor: actorOf(tenant), skuCode, body: { ...body } };
    const result = await this.call<SetInventoryResultView>(FULFILLMENT_CALLS.inventorySet, call);
    await this.audit.recordBy(tenant, 'inventory.set', 'sku', skuCode, {
      onHand: body.onHand,
      note: body.note ?? null,
      released: result.released.length,
    });
    return result;
  }

  /** The shop's fulfillment settings, once the shop is known to be the tenant's. */
  async shopSettings(
    tenant: TenantPrincipal,
    shopId: string,
  ): Promise<ShopFulfillmentSettingsView> {
    await this.assertTenantShop(tenant, shopId);
    const call: ShopFulfillmentSettingsGetCall = { actor: actorOf(tenant), shopId };
    return this.call(FULFILLMENT_CALLS.shopSettingsGet, call);
  }

  async putShopSettings(
    tenant: TenantPrincipal,
    shopId: string,
    body: ShopFulfillmentSettingsBody,
  ): Promise<ShopFulfillmentSettingsView> {
    await this.assertTenantShop(tenant, shopId);
    const call: ShopFulfillmentSettingsPutCall = {
      actor: actorOf(tenant),
      shopId,
      body: { ...body, sender: body.sender ? { ...body.sender } : null },
    };
    const result = await this.call<ShopFulfillmentSettingsView>(
      FULFILLMENT_CALLS.shopSettingsPut,
      call,
    );
    // Built field by field: the sender block is the shop's own address, kept whole.
    await this.audit.recordBy(tenant, 'shop.updated', 'shop', shopId, {
      fulfillmentSettings: { splitPolicy: result.splitPolicy, sender: result.sender },
    });
    return result;
  }

  /**
   * The shop must be the tenant's, as the shop routes establish it: the credentials service
   * answers 404 for a shop of another tenant (or none).
   */
  private async assertTenantShop(tenant: TenantPrincipal, shopId: string): Promise<void> {
    const call: ShopRefCall = { actor: actorOf(tenant), shopId };
    await callService<unknown>(
      this.credentials,
      'credentials',
      SHOP_CALLS.get,
      call,
      this.config.SERVICE_CALL_TIMEOUT_MS,
    );
  }

  private call<T>(pattern: string, payload: unknown): Promise<T> {
    return callService<T>(
      this.fulfillment,
      'fulfillment',
      pattern,
      payload,
      this.config.SERVICE_CALL_TIMEOUT_MS,
    );
  }
}

function ref(tenant: TenantPrincipal, id: string): FulfillmentOrderRefCall {
  return { actor: actorOf(tenant), fulfillmentOrderId: id };
}
