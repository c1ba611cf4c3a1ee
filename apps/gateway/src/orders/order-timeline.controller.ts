import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';

import { CurrentTenant, Requires } from '../access/access.decorators';
import type { TenantPrincipal } from '../access/principal';
import { ApiErrors } from '../docs/api-errors';
import { GatewayError, GatewayErrorCode } from '../http/gateway.errors';
import { OrderTimelineService, OrderTimelineView } from './order-timeline.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@ApiTags('orders')
@ApiBearerAuth()
@Controller('api/v1/orders')
export class OrderTimelineController {
  constructor(private readonly timelines: OrderTimelineService) {}

  @Get(':orderNumber')
  @Requires('read')
  @ApiOperation({
    summary: "An order's path with times",
    description:
      'Pulled, confirmed, mapped (how), dispatched, shipped, reported to Rakuten — or where it stopped and why. Assembled from the services; a service that is down is listed in `unavailable`.',
  })
  @ApiQuery({
    name: 'shopId',
    required: false,
    description: 'Shop connection id, when the tenant has several shops',
  })
  @ApiOkResponse({ description: 'The timeline' })
  @ApiErrors(400, 401, 403, 404)
  timeline(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('orderNumber') orderNumber: string,
    @Query('shopId') shopId?: string,
  ): Promise<OrderTimelineView> {
    if (!/^[\w-]{1,400}$/.test(orderNumber)) {
      throw new GatewayError(
        GatewayErrorCode.ValidationFailed,
        'orderNumber must be a Rakuten order number, e.g. 123456-20261129-0000000001',
        [{ field: 'orderNumber', problems: ['must be letters, digits, - or _'] }],
      );
    }
    if (shopId !== undefined && !UUID.test(shopId)) {
      throw new GatewayError(GatewayErrorCode.ValidationFailed, 'shopId must be a UUID', [
        { field: 'shopId', problems: ['must be a UUID'] },
      ]);
    }
    return this.timelines.timeline(tenant, orderNumber, shopId);
  }
}
