import type { ClientProxy } from '@nestjs/microservices';
import { SHOP_CALLS, type ShopRefCall, type ShopView } from '@smartship/contracts';
import { setTimeout as sleep } from 'node:timers/promises';

import type { TenantPrincipal } from '../access/principal';
import { actorOf } from '../access/principal';
import type { GatewayConfig } from '../config';
import { GatewayError, GatewayErrorCode, ServiceCallError } from '../http/gateway.errors';
import { callService } from '../service-clients/service-call';

/** How often the call is made again while ingestion catches up. */
const RETRY_EVERY_MS = 100;

/**
 * Runs a call to ingestion about one shop so that the caller reads their own writes.
 * Ingestion keeps a copy of each shop from `shop.updated`, which arrives a moment after
 * credentials made the change: a shop registered and pulled at once used to answer "no shop … in
 * this account", and keys renewed and pulled at once could be refused with the old keys' state.
 *
 * So credentials (where shops change) is asked first: a shop it does not have, or another
 * tenant's, is its 404, passed on. Otherwise the call carries the shop's current revision
 * (`shopRevision`); ingestion answers SHOP_NOT_SYNCED while its copy is older, and the call is
 * made again every 100 ms for up to SHOP_SYNC_WAIT_MS, then answered 503 SHOP_NOT_SYNCED (try
 * again shortly) — never a false 404, never an answer from a copy older than the caller's own
 * change. Ingestion refuses a stale copy before doing anything, so repeating is safe.
 */
export async function withShopSynced<T>(
  credentials: ClientProxy,
  config: Pick<GatewayConfig, 'SHOP_SYNC_WAIT_MS' | 'SERVICE_CALL_TIMEOUT_MS'>,
  tenant: TenantPrincipal,
  shopId: string,
  run: (ref: ShopRefCall) => Promise<T>,
): Promise<T> {
  const ref: ShopRefCall = { actor: actorOf(tenant), shopId };
  const shop = await callService<ShopView>(
    credentials,
    'credentials',
    SHOP_CALLS.get,
    ref,
    config.SERVICE_CALL_TIMEOUT_MS,
  );
  const deadline = Date.now() + config.SHOP_SYNC_WAIT_MS;
  for (;;) {
    try {
      return await run({ ...ref, shopRevision: shop.revision });
    } catch (error) {
      if (!(error instanceof ServiceCallError) || error.body.code !== 'SHOP_NOT_SYNCED')
        throw error;
      if (Date.now() >= deadline) {
        throw new GatewayError(
          GatewayErrorCode.ShopNotSynced,
          `the shop ${shopId} was registered or changed a moment ago and is not ready for this yet; try again in a few seconds`,
          { shopId },
        );
      }
      await sleep(RETRY_EVERY_MS);
    }
  }
}
