import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ImportJobView } from '@smartship/contracts';

import { CurrentTenant, Requires } from '../access/access.decorators';
import type { TenantPrincipal } from '../access/principal';
import { ApiErrors } from '../docs/api-errors';
import { uuidParam } from '../http/gateway-validation.pipe';
import { CatalogService } from './catalog.service';

@ApiTags('catalog')
@ApiBearerAuth()
@Controller('api/v1/imports')
export class ImportsController {
  constructor(private readonly catalog: CatalogService) {}

  @Get(':id')
  @Requires('read')
  @ApiOperation({
    summary: 'A background import: its state, the rows read so far, and its report or error',
    description:
      'state: receiving → queued → running → applied | rejected (bad rows: error is the 422 IMPORT_REJECTED the import would have answered, report lists the problems) | failed (unreadable, too many rows). Kept 30 days.',
  })
  @ApiErrors(400, 401, 403, 404, 503)
  get(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', uuidParam('id')) id: string,
  ): Promise<ImportJobView> {
    return this.catalog.getImport(tenant, id);
  }
}
