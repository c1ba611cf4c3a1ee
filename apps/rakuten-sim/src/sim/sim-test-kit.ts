import { esaAuthorization } from '@smartship/rakuten';

import { RmsSimulator } from './rms-simulator';
import type { SimResponse } from './sim-http';
import type { CreateShopSpec } from './sim-store';

/*
 * For the simulator's own unit tests: a simulator with one shop, and a way to call it as a client
 * would, without HTTP. (Not a spec file itself; imported only by specs.)
 */

export const SHOP = {
  shopId: '123456',
  serviceSecret: 'SP123456_secret',
  licenseKey: 'SL123456_key',
};

/** A JSON body as tests read it (loosely typed on purpose: tests assert on wire shapes). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type WireBody = any;

export interface SimKit {
  sim: RmsSimulator;
  /** POSTs JSON to an Order API function. */
  order(fn: string, body: unknown, auth?: string): SimResponse & { body: WireBody };
  /** Any request. */
  call(
    method: string,
    path: string,
    body?: unknown,
    options?: { auth?: string; contentType?: string },
  ): SimResponse & { body: WireBody };
  auth: string;
}

export function simKit(shop: Partial<CreateShopSpec> = {}): SimKit {
  const sim = new RmsSimulator();
  sim.store.createShop({ ...SHOP, ...shop });
  const auth = esaAuthorization({
    serviceSecret: shop.serviceSecret ?? SHOP.serviceSecret,
    licenseKey: shop.licenseKey ?? SHOP.licenseKey,
  });
  const call: SimKit['call'] = (method, path, body, options = {}) => {
    const [pathOnly, queryString] = path.split('?');
    const response = sim.handle({
      method,
      path: pathOnly,
      query: new URLSearchParams(queryString ?? ''),
      authorization: options.auth ?? auth,
      contentType: options.contentType ?? 'application/json; charset=utf-8',
      body: body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { ...response, body: response.json };
  };
  return {
    sim,
    auth,
    call,
    order: (fn, body, auth) => call('POST', `/es/2.0/order/${fn}/`, body, { auth }),
  };
}

/** `YYYY-MM-DDThh:mm:ss+0900` for an instant `days` from the simulator's now. */
export function rmsTime(sim: RmsSimulator, days = 0): string {
  const d = new Date(sim.store.now() + days * 86_400_000 + 9 * 3_600_000);
  return `${d.toISOString().slice(0, 19)}+0900`;
}
