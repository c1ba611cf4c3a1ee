import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { ApiErrors } from '../docs/api-errors';
import { CreatedTenantDoc } from '../docs/view-schemas';
import { OperatorOnly } from './access.decorators';
import { AccessService, IssuedTokenView, TenantView } from './access.service';
import { CreateTenantDto } from './dto/create-tenant.dto';

@ApiTags('tenants')
@ApiBearerAuth()
@OperatorOnly()
@Controller('api/v1/tenants')
export class TenantsController {
  constructor(private readonly access: AccessService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a tenant (operator token only)',
    description: 'Answers the tenant and its first API token. The token is shown only here.',
  })
  @ApiCreatedResponse({ type: CreatedTenantDoc })
  @ApiErrors(400, 401, 403)
  create(@Body() body: CreateTenantDto): Promise<{ tenant: TenantView; token: IssuedTokenView }> {
    return this.access.createTenant(body.name);
  }
}
