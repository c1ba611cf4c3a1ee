import { Body, Controller, Delete, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CreateRecipientBody, type RecipientView, UpdateRecipientBody } from '@smartship/contracts';

import { CurrentTenant, Requires } from '../access/access.decorators';
import type { TenantPrincipal } from '../access/principal';
import { ApiErrors } from '../docs/api-errors';
import { uuidParam } from '../http/gateway-validation.pipe';
import { NotificationsGatewayService } from './notifications.service';

const ID = uuidParam('id');

/** E-mail recipients of the tenant's alerts. */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/v1/notification-recipients')
export class RecipientsController {
  constructor(private readonly notifications: NotificationsGatewayService) {}

  @Post()
  @Requires('shops.settings')
  @ApiOperation({
    summary: 'Add an e-mail recipient',
    description:
      '`kinds`: the alert kinds they get (empty = none). `digest: true`: one e-mail a day at digestHourJst instead of one per alert; critical alerts still go at once. At most 50 per tenant (409).',
  })
  @ApiCreatedResponse({ description: 'The recipient: { id, email, kinds, digest, createdAt }' })
  @ApiErrors(400, 401, 403, 409, 413, 415, 503)
  create(
    @CurrentTenant() tenant: TenantPrincipal,
    @Body() body: CreateRecipientBody,
  ): Promise<RecipientView> {
    return this.notifications.createRecipient(tenant, body);
  }

  @Patch(':id')
  @Requires('shops.settings')
  @ApiOperation({ summary: "Change a recipient's address, kinds or digest choice" })
  @ApiOkResponse({ description: 'The recipient.' })
  @ApiErrors(400, 401, 403, 404, 413, 415, 503)
  update(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', ID) id: string,
    @Body() body: UpdateRecipientBody,
  ): Promise<RecipientView> {
    return this.notifications.updateRecipient(tenant, id, body);
  }

  @Delete(':id')
  @Requires('shops.settings')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a recipient' })
  @ApiNoContentResponse({ description: 'Removed.' })
  @ApiErrors(400, 401, 403, 404, 503)
  remove(@CurrentTenant() tenant: TenantPrincipal, @Param('id', ID) id: string): Promise<void> {
    return this.notifications.deleteRecipient(tenant, id);
  }

  @Post(':id/test')
  @Requires('shops.settings')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send the recipient a test e-mail (queued like any delivery)' })
  @ApiAcceptedResponse({ description: '{ deliveryId }' })
  @ApiErrors(400, 401, 403, 404, 503)
  test(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', ID) id: string,
  ): Promise<{ deliveryId: string }> {
    return this.notifications.testRecipient(tenant, id);
  }
}
