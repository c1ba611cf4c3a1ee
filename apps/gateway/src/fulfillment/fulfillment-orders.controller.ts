import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type FulfillmentOrderDetailView,
  type FulfillmentOrderPageView,
  type ReleaseResultView,
  ShipFulfillmentOrderBody,
  type ShipResultView,
} from '@smartship/contracts';

import { CurrentTenant, Requires } from '../access/access.decorators';
import type { TenantPrincipal } from '../access/principal';
import { ApiErrors } from '../docs/api-errors';
import { uuidParam } from '../http/gateway-validation.pipe';
import { ListFulfillmentOrdersQueryDto } from './dto/fulfillment-queries.dto';
import { ShipFulfillmentOrderBodyDoc } from './fulfillment-docs';
import { FulfillmentService } from './fulfillment.service';

const ID = uuidParam('id');

@ApiTags('fulfillment')
@ApiBearerAuth()
@Controller('api/v1/fulfillment-orders')
export class FulfillmentOrdersController {
  constructor(private readonly fulfillment: FulfillmentService) {}

  @Get()
  @Requires('read')
  @ApiOperation({
    summary: 'Fulfillment orders (shipping instructions), newest first',
    description:
      'One per Rakuten package. Status: awaiting_shop, awaiting_release, awaiting_stock (each with `hold` saying why), ready (sent to the warehouse, stock reserved), shipped, canceled.',
  })
  @ApiOkResponse({ description: '{ items: FulfillmentOrder[], nextCursor }' })
  @ApiErrors(400, 401, 403, 503)
  list(
    @CurrentTenant() tenant: TenantPrincipal,
    @Query() query: ListFulfillmentOrdersQueryDto,
  ): Promise<FulfillmentOrderPageView> {
    return this.fulfillment.list(tenant, query);
  }

  @Get(':id')
  @Requires('read')
  @ApiOperation({
    summary: 'One fulfillment order with its history (every step with its time)',
    description:
      'A shipped one also has `rakutenReport`: its shipping report to Rakuten (recorded, sent, reported, failed with Rakuten’s message), null until ingestion has recorded it, "unavailable" when the ingestion service could not be asked. The list has it too.',
  })
  @ApiOkResponse({ description: 'The fulfillment order and `history`' })
  @ApiErrors(400, 401, 403, 404, 503)
  get(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', ID) id: string,
  ): Promise<FulfillmentOrderDetailView> {
    return this.fulfillment.get(tenant, id);
  }

  @Post(':id/release')
  @Requires('fulfillment.write')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send a held fulfillment order to the warehouse',
    description:
      'For shops with autoFulfillmentDispatch off (or whose settings are not known yet): reserves the stock and publishes shipment.ready, or holds it for stock (it then goes by itself when stock arrives). Releasing one already released changes nothing (released: false). 409 NOT_RELEASABLE once shipped or canceled.',
  })
  @ApiOkResponse({ description: '{ fulfillmentOrder, released }' })
  @ApiErrors(400, 401, 403, 404, 409, 503)
  release(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', ID) id: string,
  ): Promise<ReleaseResultView> {
    return this.fulfillment.release(tenant, id);
  }

  @Post(':id/ship')
  @Requires('fulfillment.write')
  @HttpCode(200)
  @ApiOperation({
    summary: 'The warehouse confirms the shipment',
    description:
      'Decrements on hand, ends the reservation, publishes order.shipped (reported to Rakuten) and inventory.changed. The same confirmation again answers alreadyShipped: true and changes nothing; a different one for a shipped order is 409 ALREADY_SHIPPED with the recorded one in details.existing. 409 NOT_READY_TO_SHIP for an order still held, FULFILLMENT_ORDER_CANCELED for a canceled one.',
  })
  @ApiBody({ type: ShipFulfillmentOrderBodyDoc })
  @ApiOkResponse({ description: '{ fulfillmentOrder, alreadyShipped }' })
  @ApiErrors(400, 401, 403, 404, 409, 413, 415, 503)
  ship(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', ID) id: string,
    @Body() body: ShipFulfillmentOrderBody,
  ): Promise<ShipResultView> {
    return this.fulfillment.ship(tenant, id, body);
  }
}
