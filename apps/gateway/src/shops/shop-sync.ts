import type { ClientProxy } from '@nestjs/microservices';
import { SHOP_CALLS, type ShopRefCall } from '@smartship/contracts';
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
 * Ingestion knows a shop from `shop.updated`, a moment after credentials registered it: a shop
 * registered and pulled at once used to answer "no shop … in this account". When ingestion says
 * SHOP_NOT_FOUND, credentials (where shops are registered) is asked: a shop it does not have
 * either is a true 404, passed on; a shop it has is one ingestion has not learnt of yet, so the
 * call is made again every 100 ms for up to SHOP_SYNC_WAIT_MS, then answered 503
 * SHOP_NOT_SYNCED (try again shortly), never a false 404. Calls that find the shop at once pay
 * nothing; ingestion refuses an unknown shop before doing anything, so repeating is safe.
 */
export async function withShopSynced<T>(
  credentials: ClientProxy,
  config: Pick<GatewayConfig, 'SHOP_SYNC_WAIT_MS' | 'SERVICE_CALL_TIMEOUT_MS'>,
  tenant: TenantPrincipal,
  shopId: string,
  run: () => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + config.SHOP_SYNC_WAIT_MS;
  let registered = false;
  for (;;) {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof ServiceCallError) || error.body.code !== 'SHOP_NOT_FOUND') throw error;
      if (!registered) {
        // Throws the credentials service's own 404 when the shop is not this tenant's.
        const ref: ShopRefCall = { actor: actorOf(tenant), shopId };
        await callService(
          credentials,
          'credentials',
          SHOP_CALLS.get,
          ref,
          config.SERVICE_CALL_TIMEOUT_MS,
        );
        registered = true;
      }
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
