import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import {
  FULFILLMENT_CALLS,
  type FulfillmentOrderDetailView,
  type FulfillmentOrderRefCall,
  type ServiceErrorBody,
} from '@smartship/contracts';
import { SERVICE_CONFIG } from '@smartship/service-kit';

import { actorOf, type TenantPrincipal } from '../access/principal';
import { GatewayConfig } from '../config';
import { callService } from '../service-clients/service-call';
import { clientToken } from '../service-clients/service-clients';
import { renderPackingSlip } from './packing-slip.pdf';
import { packingSlipFileName } from './slip-text';

/** The error code of a 409 for a fulfillment order that has no packing-slip details. */
export const PACKING_SLIP_UNAVAILABLE = 'PACKING_SLIP_UNAVAILABLE';

/** A rendered slip and the file name it is offered under. */
export interface PackingSlipFile {
  pdf: Buffer;
  fileName: string;
}

/**
 * The packing slip of one fulfillment order: the order is asked from the fulfillment service for
 * the caller's tenant (another tenant's id is that service's 404), then drawn in the gateway.
 */
@Injectable()
export class PackingSlipService {
  constructor(
    @Inject(clientToken('fulfillment')) private readonly fulfillment: ClientProxy,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async render(tenant: TenantPrincipal, id: string): Promise<PackingSlipFile> {
    const call: FulfillmentOrderRefCall = { actor: actorOf(tenant), fulfillmentOrderId: id };
    const order = await callService<FulfillmentOrderDetailView>(
      this.fulfillment,
      'fulfillment',
      FULFILLMENT_CALLS.get,
      call,
      this.config.SERVICE_CALL_TIMEOUT_MS,
    );
    if (!order.warehouse) {
      const body: ServiceErrorBody = {
        statusCode: HttpStatus.CONFLICT,
        code: PACKING_SLIP_UNAVAILABLE,
        message: `Fulfillment order ${id} was created before the platform recorded what a packing slip needs (item names, prices, payment, remarks); no packing slip can be made for it. Orders pulled from now on have one.`,
        details: { fulfillmentOrderId: id, orderNumber: order.orderNumber },
      };
      throw new HttpException(body, HttpStatus.CONFLICT);
    }
    return { pdf: await renderPackingSlip(order), fileName: packingSlipFileName(order) };
  }
}
