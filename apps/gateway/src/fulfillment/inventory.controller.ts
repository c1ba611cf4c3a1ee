import {
  Body,
  Controller,
  Get,
  Injectable,
  Param,
  PipeTransform,
  Put,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  SetInventoryBody,
  type SetInventoryResultView,
  type StockPageView,
} from '@smartship/contracts';

import { CurrentTenant, Requires } from '../access/access.decorators';
import type { TenantPrincipal } from '../access/principal';
import { ApiErrors } from '../docs/api-errors';
import { validationFailed } from '../http/gateway.errors';
import { ListInventoryQueryDto } from './dto/fulfillment-queries.dto';
import { SetInventoryBodyDoc } from './fulfillment-docs';
import { FulfillmentService } from './fulfillment.service';

/** `:skuCode`: 1..200 characters without spaces at either end, or a 400 naming it. */
@Injectable()
export class SkuCodePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (value.length === 0 || value.length > 200 || value.trim() !== value) {
      throw validationFailed([
        {
          field: 'skuCode',
          problems: ['skuCode must be 1..200 characters without spaces at either end'],
        },
      ]);
    }
    return value;
  }
}

@ApiTags('inventory')
@ApiBearerAuth()
@Controller('api/v1/inventory')
export class InventoryController {
  constructor(private readonly fulfillment: FulfillmentService) {}

  @Get()
  @Requires('read')
  @ApiOperation({
    summary: 'Stock per SKU: on hand, reserved, available, and units held orders wait for',
  })
  @ApiOkResponse({
    description:
      '{ items: [{ skuCode, onHand, reserved, available, waiting, updatedAt }], nextCursor }',
  })
  @ApiErrors(400, 401, 403, 503)
  list(
    @CurrentTenant() tenant: TenantPrincipal,
    @Query() query: ListInventoryQueryDto,
  ): Promise<StockPageView> {
    return this.fulfillment.listInventory(tenant, query);
  }

  @Put(':skuCode')
  @Requires('fulfillment.write')
  @ApiOperation({
    summary: "Set a SKU's units on hand (stock-take or arrival)",
    description:
      'Reservations stay. Fulfillment orders held for this SKU are tried again at once, oldest first; those now covered go to the warehouse (listed in `released`). Publishes inventory.changed.',
  })
  @ApiBody({ type: SetInventoryBodyDoc })
  @ApiOkResponse({ description: '{ stock, released: [fulfillment order id] }' })
  @ApiErrors(400, 401, 403, 413, 415, 503)
  set(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('skuCode', SkuCodePipe) skuCode: string,
    @Body() body: SetInventoryBody,
  ): Promise<SetInventoryResultView> {
    return this.fulfillment.setInventory(tenant, skuCode, body);
  }
}
