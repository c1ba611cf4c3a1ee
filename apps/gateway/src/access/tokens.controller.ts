import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';

import { ApiErrors } from '../docs/api-errors';
import { IssuedTokenDoc, TokenListDoc } from '../docs/view-schemas';
import { uuidParam } from '../http/gateway-validation.pipe';
import { CurrentTenant, Requires } from './access.decorators';
import { AccessService, IssuedTokenView, TokenView } from './access.service';
import { CreateTokenDto } from './dto/create-token.dto';
import type { TenantPrincipal } from './principal';

@ApiTags('tokens')
@ApiBearerAuth()
@Controller('api/v1/tokens')
export class TokensController {
  constructor(private readonly access: AccessService) {}

  @Post()
  @Requires('tokens.manage')
  @ApiOperation({
    summary: 'Create an API token for this tenant',
    description:
      'The token is in this response only; the gateway keeps just its hash. `scope` defaults ' +
      'to read; a caller cannot mint a scope that may do more than itself (403 ' +
      'TOKEN_ESCALATION), nor, with an expiring token, a token that outlives it.',
  })
  @ApiCreatedResponse({ type: IssuedTokenDoc })
  @ApiErrors(400, 401, 403)
  create(
    @CurrentTenant() tenant: TenantPrincipal,
    @Body() body: CreateTokenDto,
  ): Promise<IssuedTokenView> {
    return this.access.createToken(tenant, {
      name: body.name,
      scope: body.scope ?? 'read',
      expiresAt: body.expiresAt === undefined ? null : new Date(body.expiresAt),
    });
  }

  @Get()
  @Requires('tokens.manage')
  @ApiOperation({ summary: "This tenant's tokens (never the tokens themselves)" })
  @ApiOkResponse({ type: TokenListDoc })
  @ApiErrors(401, 403)
  async list(@CurrentTenant() tenant: TenantPrincipal): Promise<{ items: TokenView[] }> {
    return { items: await this.access.listTokens(tenant.tenantId) };
  }

  @Delete(':id')
  @Requires('tokens.manage')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Revoke a token',
    description: 'Requests with it fail with 401 from now on. Revoking twice is harmless.',
  })
  @ApiNoContentResponse({ description: 'Revoked.' })
  @ApiErrors(400, 401, 403, 404)
  revoke(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', uuidParam('id')) id: string,
  ): Promise<void> {
    return this.access.revokeToken(tenant, id);
  }
}
