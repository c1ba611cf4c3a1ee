import { Inject, Injectable } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import {
  INGESTION_CALLS,
  type BackfillListView,
  type BackfillView,
  type LastPullView,
  type PullResultView,
  type PullShopCall,
  type ConnectionTestView,
  type ListShopsCall,
  type RegisterRakutenShopBody,
  type RegisterRakutenShopCall,
  type RenewCredentialsBody,
  type RenewCredentialsCall,
  SHOP_CALLS,
  type ListBackfillsCall,
  type ShopRefCall,
  type ShopStatus,
  type ShopView,
  type ShopWithTestView,
  type StartBackfillBody,
  type StartBackfillCall,
  type UpdateShopBody,
  type UpdateShopCall,
} from '@smartship/contracts';
import { SERVICE_CONFIG } from '@smartship/service-kit';

import { actorOf, type TenantPrincipal } from '../access/principal';
import { AuditRecord, AuditService } from '../audit/audit.service';
import { GatewayConfig } from '../config';
import { RateLimiter } from '../limits/rate-limiter';
import { callService } from '../service-clients/service-call';
import { clientToken } from '../service-clients/service-clients';
import {
  backfillStartedDetails,
  connectionTestedDetails,
  registeredDetails,
  renewedDetails,
  updatedDetails,
} from './shop-audit';
import { withShopSynced } from './shop-sync';

/**
 * The shop routes: each is one call to the credentials service (the calls that reach Rakuten
 * first count against the tenant's `rakuten_calls` limit, registrations also against
 * `shop_registrations`: see limits/rate-limiter.ts), made for the authenticated
 * tenant (never a tenant named in the request), and an audit entry once a change succeeded.
 * The entry is written after the service answered, so a gateway crash in between loses it; the
 * service's shop.updated events remain the complete record of changes.
 */
@Injectable()
export class ShopsService {
  constructor(
    @Inject(clientToken('credentials')) private readonly credentials: ClientProxy,
    @Inject(clientToken('ingestion')) private readonly ingestion: ClientProxy,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
    private readonly audit: AuditService,
    private readonly limiter: RateLimiter,
  ) {}

  async register(
    tenant: TenantPrincipal,
    body: RegisterRakutenShopBody,
  ): Promise<ShopWithTestView> {
    await this.limiter.consume(tenant.tenantId, ['rakuten_calls', 'shop_registrations']);
    const call: RegisterRakutenShopCall = { actor: actorOf(tenant), body };
    const result = await this.call<ShopWithTestView>(SHOP_CALLS.register, call, 'rakuten');
    await this.record(tenant, 'shop.registered', result.shop.id, registeredDetails(result));
    return result;
  }

  async list(tenant: TenantPrincipal, status?: ShopStatus): Promise<{ items: ShopView[] }> {
    const call: ListShopsCall = { actor: actorOf(tenant), ...(status ? { status } : {}) };
    return this.call<{ items: ShopView[] }>(SHOP_CALLS.list, call, 'plain');
  }

  get(tenant: TenantPrincipal, shopId: string): Promise<ShopView> {
    return this.call<ShopView>(SHOP_CALLS.get, ref(tenant, shopId), 'plain');
  }

  async update(tenant: TenantPrincipal, shopId: string, body: UpdateShopBody): Promise<ShopView> {
    const call: UpdateShopCall = { ...ref(tenant, shopId), body };
    const shop = await this.call<ShopView>(SHOP_CALLS.updateOptions, call, 'plain');
    await this.record(tenant, 'shop.updated', shopId, updatedDetails(body));
    return shop;
  }

  async renewCredentials(
    tenant: TenantPrincipal,
    shopId: string,
    body: RenewCredentialsBody,
  ): Promise<ShopWithTestView> {
    await this.limiter.consume(tenant.tenantId, ['rakuten_calls']);
    const call: RenewCredentialsCall = { ...ref(tenant, shopId), body };
    const result = await this.call<ShopWithTestView>(SHOP_CALLS.renewCredentials, call, 'rakuten');
    await this.record(
      tenant,
      'shop.credentials_renewed',
      shopId,
      renewedDetails(result, body.licenseKeyIssuedAt),
    );
    return result;
  }

  async remove(tenant: TenantPrincipal, shopId: string): Promise<void> {
    await this.call<unknown>(SHOP_CALLS.remove, ref(tenant, shopId), 'plain');
    await this.record(tenant, 'shop.deleted', shopId, {});
  }

  async connectionTest(tenant: TenantPrincipal, shopId: string): Promise<ConnectionTestView> {
    await this.limiter.consume(tenant.tenantId, ['rakuten_calls']);
    const test = await this.call<ConnectionTestView>(
      SHOP_CALLS.connectionTest,
      ref(tenant, shopId),
      'rakuten',
    );
    await this.record(tenant, 'shop.connection_tested', shopId, connectionTestedDetails(test));
    return test;
  }

  connectionTests(
    tenant: TenantPrincipal,
    shopId: string,
  ): Promise<{ items: ConnectionTestView[] }> {
    return this.call<{ items: ConnectionTestView[] }>(
      SHOP_CALLS.connectionTests,
      ref(tenant, shopId),
      'plain',
    );
  }

  /**
   * Pulls the shop's orders now (the ingestion service owns every Rakuten call). A pull of a
   * large backlog waits for Rakuten's 1 request/s, hence its own, longer timeout.
   */
  async pull(tenant: TenantPrincipal, shopId: string): Promise<PullResultView> {
    await this.limiter.consume(tenant.tenantId, ['rakuten_calls']);
    const result = await this.askIngestion<PullResultView>(
      tenant,
      shopId,
      INGESTION_CALLS.pull,
      (call): PullShopCall => call,
      this.config.PULL_CALL_TIMEOUT_MS,
    );
    await this.record(tenant, 'shop.pulled', shopId, {
      complete: result.complete,
      new: result.new,
      searched: result.searched,
    });
    return result;
  }

  /**
   * Starts a backfill of the shop over a past range. It makes the platform call Rakuten, so it
   * counts against the tenant's `rakuten_calls` like a pull; ingestion records it and answers at
   * once (the work goes on in the background), so the plain timeout is enough.
   */
  async startBackfill(
    tenant: TenantPrincipal,
    shopId: string,
    body: StartBackfillBody,
  ): Promise<BackfillView> {
    await this.limiter.consume(tenant.tenantId, ['rakuten_calls']);
    const backfill = await this.askIngestion<BackfillView>(
      tenant,
      shopId,
      INGESTION_CALLS.startBackfill,
      (call): StartBackfillCall => ({ ...call, body }),
    );
    await this.record(tenant, 'shop.backfill_started', shopId, backfillStartedDetails(backfill));
    return backfill;
  }

  /** The shop's backfills and deep sweeps with their progress (read-only; no audit entry). */
  backfills(tenant: TenantPrincipal, shopId: string): Promise<BackfillListView> {
    return this.askIngestion<BackfillListView>(
      tenant,
      shopId,
      INGESTION_CALLS.listBackfills,
      (call): ListBackfillsCall => call,
    );
  }

  /** The shop's last poll, scheduled or manual (read-only; no audit entry). */
  lastPull(tenant: TenantPrincipal, shopId: string): Promise<{ lastPull: LastPullView | null }> {
    return this.askIngestion<{ lastPull: LastPullView | null }>(
      tenant,
      shopId,
      INGESTION_CALLS.lastPull,
      (call): PullShopCall => call,
    );
  }

  /**
   * A call to ingestion about the shop, reading the caller's own writes (shop-sync.ts): `payload`
   * builds the call from the shop reference that carries the revision credentials has.
   */
  private askIngestion<T>(
    tenant: TenantPrincipal,
    shopId: string,
    pattern: string,
    payload: (call: ShopRefCall) => ShopRefCall,
    timeoutMs = this.config.SERVICE_CALL_TIMEOUT_MS,
  ): Promise<T> {
    return withShopSynced(this.credentials, this.config, tenant, shopId, (call) =>
      callService<T>(this.ingestion, 'ingestion', pattern, payload(call), timeoutMs),
    );
  }

  /** `rakuten` calls wait for Rakuten too, so they get the longer timeout. */
  private call<T>(pattern: string, payload: unknown, kind: 'plain' | 'rakuten'): Promise<T> {
    const timeoutMs =
      kind === 'rakuten'
        ? this.config.RAKUTEN_CALL_TIMEOUT_MS
        : this.config.SERVICE_CALL_TIMEOUT_MS;
    return callService<T>(this.credentials, 'credentials', pattern, payload, timeoutMs);
  }

  private record(
    tenant: TenantPrincipal,
    action: AuditRecord['action'],
    shopId: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.recordBy(tenant, action, 'shop', shopId, details);
  }
}

function ref(tenant: TenantPrincipal, shopId: string): ShopRefCall {
  return { actor: actorOf(tenant), shopId };
}
