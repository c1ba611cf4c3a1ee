import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { OperatorOnly } from '../access/access.decorators';
import { ApiErrors } from '../docs/api-errors';
import { OperatorShopListDoc, type OperatorShopDoc } from './operator-shop.view';
import { OperatorShopsQueryDto } from './operator-shops.query';
import { OperatorService } from './operator.service';

@ApiTags('operator')
@ApiBearerAuth()
@OperatorOnly()
@Controller('api/v1/operator')
export class OperatorController {
  constructor(private readonly operator: OperatorService) {}

  @Get('shops')
  @ApiOperation({
    summary: "Every tenant's shops with their health (operator token only)",
    description:
      'Status and licence key (credentials), pulls, unpublishable orders, pending shipping reports, failing stock pushes and RMS calls throttled in the last 24 hours (ingestion), order lines held unmapped (mapping). `problems` lists what needs looking at; `?problem=true` keeps only those shops, `?tenantId=` one tenant.',
  })
  @ApiOkResponse({ type: OperatorShopListDoc })
  @ApiErrors(400, 401, 403, 503)
  async shops(@Query() query: OperatorShopsQueryDto): Promise<{ items: OperatorShopDoc[] }> {
    return { items: await this.operator.shops(query) };
  }
}
