import { Controller, Get, Header, Param, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';

import { CurrentTenant, Requires } from '../access/access.decorators';
import type { TenantPrincipal } from '../access/principal';
import { ApiErrors } from '../docs/api-errors';
import { ErrorBodyDoc } from '../docs/view-schemas';
import { uuidParam } from '../http/gateway-validation.pipe';
import { PackingSlipService } from './packing-slip.service';

const ID = uuidParam('id');

@ApiTags('fulfillment')
@ApiBearerAuth()
@Controller('api/v1/fulfillment-orders')
export class PackingSlipController {
  constructor(private readonly slips: PackingSlipService) {}

  @Get(':id/packing-slip.pdf')
  @Requires('read')
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({
    summary: 'The packing slip (納品書) of a fulfillment order, as an A4 PDF in Japanese',
    description:
      "The shop's sender block, recipient and orderer, the lines (item name, options, quantity, tax-included price, rate, amount), the order's totals, the cash-on-delivery amount, the gift's wrappings and のし, the buyer's remarks and the shop's slip message; revision and split part when they apply. A gift order's slip prints no prices (the COD amount stays). Free text is drawn as text, never interpreted. See docs/packing-slip.md.",
  })
  @ApiProduces('application/pdf')
  @ApiOkResponse({
    description:
      'The PDF, `Content-Disposition: inline; filename="packing-slip-<orderNumber>-<basketId>.pdf"`',
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiErrors(400, 401, 403, 404, 503)
  @ApiResponse({
    status: 409,
    description:
      'PACKING_SLIP_UNAVAILABLE: the fulfillment order was created before the packing-slip details were recorded (shipment.ready v1).',
    type: ErrorBodyDoc,
  })
  async get(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', ID) id: string,
  ): Promise<StreamableFile> {
    const { pdf, fileName } = await this.slips.render(tenant, id);
    return new StreamableFile(pdf, {
      type: 'application/pdf',
      disposition: `inline; filename="${fileName}"`,
      length: pdf.length,
    });
  }
}
