import { Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { OperatorOnly } from '../access/access.decorators';
import type { AuthenticatedRequest, OperatorPrincipal } from '../access/principal';
import { ApiErrors } from '../docs/api-errors';
import { uuidParam } from '../http/gateway-validation.pipe';
import type { OperatorShopDoc } from './operator-shop.view';
import {
  OperatorTenantDetailDoc,
  OperatorTenantListDoc,
  TenantStateChangeDoc,
  TokensRevokedDoc,
  type OperatorTenantDoc,
} from './operator-tenant.view';
import { OperatorTenantsService } from './operator-tenants.service';

const TENANT_ID = uuidParam('id');

@ApiTags('operator')
@ApiBearerAuth()
@OperatorOnly()
@Controller('api/v1/operator/tenants')
export class OperatorTenantsController {
  constructor(private readonly tenants: OperatorTenantsService) {}

  @Get()
  @ApiOperation({
    summary: 'Every tenant with its people, tokens and worst shop health (operator only)',
  })
  @ApiOkResponse({ type: OperatorTenantListDoc })
  @ApiErrors(401, 403)
  list(): Promise<{ items: OperatorTenantDoc[]; healthAvailable: boolean }> {
    return this.tenants.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'A tenant and each of its shops with its health (operator only)' })
  @ApiOkResponse({ type: OperatorTenantDetailDoc })
  @ApiErrors(400, 401, 403, 404)
  get(
    @Param('id', TENANT_ID) id: string,
  ): Promise<{ tenant: OperatorTenantDoc; shops: OperatorShopDoc[] | null }> {
    return this.tenants.get(id);
  }

  @Post(':id/disable')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Disable a tenant (operator only)',
    description:
      'Its API tokens and sessions are refused at once (403 TENANT_DISABLED) and its shops are suspended: no polls, confirmations, shipping reports or stock pushes. Nothing is deleted. A 503 means credentials did not answer after the tenant was disabled: call again to suspend the shops.',
  })
  @ApiOkResponse({ type: TenantStateChangeDoc })
  @ApiErrors(400, 401, 403, 404, 503)
  disable(
    @Req() request: AuthenticatedRequest,
    @Param('id', TENANT_ID) id: string,
  ): Promise<{ tenant: OperatorTenantDoc; shopsChanged: number }> {
    return this.tenants.setDisabled(operatorOf(request), id, true);
  }

  @Post(':id/enable')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Enable a disabled tenant again (operator only)',
    description:
      'Its tokens and sessions work again and its shops resume in the state the seller left them (a shop the seller had disabled stays disabled).',
  })
  @ApiOkResponse({ type: TenantStateChangeDoc })
  @ApiErrors(400, 401, 403, 404, 503)
  enable(
    @Req() request: AuthenticatedRequest,
    @Param('id', TENANT_ID) id: string,
  ): Promise<{ tenant: OperatorTenantDoc; shopsChanged: number }> {
    return this.tenants.setDisabled(operatorOf(request), id, false);
  }

  @Post(':id/revoke-tokens')
  @HttpCode(200)
  @ApiOperation({
    summary: "Revoke all of a tenant's API tokens (operator only)",
    description: 'Answers how many were revoked; sessions of its people are not touched.',
  })
  @ApiOkResponse({ type: TokensRevokedDoc })
  @ApiErrors(400, 401, 403, 404)
  revokeTokens(
    @Req() request: AuthenticatedRequest,
    @Param('id', TENANT_ID) id: string,
  ): Promise<{ revoked: number }> {
    return this.tenants.revokeTokens(operatorOf(request), id);
  }
}

function operatorOf(request: AuthenticatedRequest): OperatorPrincipal {
  const principal = request.principal;
  if (principal?.kind !== 'operator') {
    throw new Error('the guard lets only the operator through here');
  }
  return principal;
}
