import { Body, Controller, Get, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type CatalogChangeView,
  LinkLineBody,
  type MappingOrderView,
  type MappingRuleView,
} from '@smartship/contracts';

import { CurrentTenant, Requires } from '../access/access.decorators';
import type { TenantPrincipal } from '../access/principal';
import { ApiErrors } from '../docs/api-errors';
import { validationFailed } from '../http/gateway.errors';
import { CatalogService } from './catalog.service';
import { ListOrdersQueryDto } from './dto/catalog-queries.dto';

const LINE_ID = new ParseIntPipe({
  exceptionFactory: () =>
    validationFailed([{ field: 'itemDetailId', problems: ['itemDetailId must be a number'] }]),
});

/** Orders as the mapping service knows them: the unmapped queue and the mapped ones. */
@ApiTags('orders')
@ApiBearerAuth()
@Controller('api/v1/orders')
export class OrdersController {
  constructor(private readonly catalog: CatalogService) {}

  @Get()
  @Requires('read')
  @ApiOperation({
    summary: 'Orders by mapping status (needs_mapping: the unmapped queue)',
    description:
      'An order with any unmapped line is held whole. Each unmapped line says why (no_match, ambiguous) and lists candidates: both matches when ambiguous, similar codes or names otherwise.',
  })
  @ApiOkResponse({ description: '{ items: MappingOrderView[], total }' })
  @ApiErrors(400, 401, 403, 503)
  list(
    @CurrentTenant() tenant: TenantPrincipal,
    @Query() query: ListOrdersQueryDto,
  ): Promise<{ items: MappingOrderView[]; total: number }> {
    return this.catalog.listOrders(tenant, { ...query, status: query.status ?? 'needs_mapping' });
  }

  @Post(':orderNumber/lines/:itemDetailId/link')
  @Requires('catalog.write')
  @ApiOperation({
    summary: 'Link a held line to a SKU or option',
    description:
      "Adds the name rule for the line's exact item name and option text, so this and every later line like it maps; held orders it completes are released at once.",
  })
  @ApiErrors(400, 401, 403, 404, 409, 413, 415, 503)
  link(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('orderNumber') orderNumber: string,
    @Param('itemDetailId', LINE_ID) itemDetailId: number,
    @Body() body: LinkLineBody,
  ): Promise<CatalogChangeView<MappingRuleView>> {
    return this.catalog.linkLine(tenant, orderNumber, itemDetailId, body);
  }
}
