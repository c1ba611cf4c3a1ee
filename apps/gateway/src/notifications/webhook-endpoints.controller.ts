import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  CreateEndpointBody,
  type CreatedEndpointView,
  type DeliveryView,
  type EndpointView,
  ListDeliveriesQuery,
  UpdateEndpointBody,
} from '@smartship/contracts';

import { CurrentTenant, Requires } from '../access/access.decorators';
import type { TenantPrincipal } from '../access/principal';
import { ApiErrors } from '../docs/api-errors';
import { uuidParam } from '../http/gateway-validation.pipe';
import { NotificationsGatewayService } from './notifications.service';

const ID = uuidParam('id');

/** Webhook endpoints (Standard Webhooks signatures; `slack` for Slack incoming webhooks). */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/v1/webhook-endpoints')
export class WebhookEndpointsController {
  constructor(private readonly notifications: NotificationsGatewayService) {}

  @Post()
  @Requires('shops.settings')
  @ApiOperation({
    summary: 'Add a webhook endpoint',
    description:
      'https only, and never an internal address (loopback, private, link-local, metadata…): 400 naming `url`. The answer carries the signing secret (`whsec_…`), shown this once. At most 50 per tenant (409).',
  })
  @ApiCreatedResponse({ description: 'The endpoint with its `secret`.' })
  @ApiErrors(400, 401, 403, 409, 413, 415, 503)
  create(
    @CurrentTenant() tenant: TenantPrincipal,
    @Body() body: CreateEndpointBody,
  ): Promise<CreatedEndpointView> {
    return this.notifications.createEndpoint(tenant, body);
  }

  @Patch(':id')
  @Requires('shops.settings')
  @ApiOperation({ summary: "Change an endpoint's URL, kinds, format, or enable / disable it" })
  @ApiOkResponse({ description: 'The endpoint (secretHint only).' })
  @ApiErrors(400, 401, 403, 404, 413, 415, 503)
  update(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', ID) id: string,
    @Body() body: UpdateEndpointBody,
  ): Promise<EndpointView> {
    return this.notifications.updateEndpoint(tenant, id, body);
  }

  @Delete(':id')
  @Requires('shops.settings')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove an endpoint' })
  @ApiNoContentResponse({ description: 'Removed.' })
  @ApiErrors(400, 401, 403, 404, 503)
  remove(@CurrentTenant() tenant: TenantPrincipal, @Param('id', ID) id: string): Promise<void> {
    return this.notifications.deleteEndpoint(tenant, id);
  }

  @Post(':id/rotate-secret')
  @Requires('shops.settings')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Issue a new signing secret',
    description: 'The previous secret keeps signing too (a second signature) for 24 hours.',
  })
  @ApiOkResponse({ description: '{ secret }' })
  @ApiErrors(400, 401, 403, 404, 503)
  rotate(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', ID) id: string,
  ): Promise<{ secret: string }> {
    return this.notifications.rotateSecret(tenant, id);
  }

  @Post(':id/test')
  @Requires('shops.settings')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send the endpoint a signed test message (queued like any delivery)' })
  @ApiAcceptedResponse({ description: '{ deliveryId }' })
  @ApiErrors(400, 401, 403, 404, 503)
  test(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', ID) id: string,
  ): Promise<{ deliveryId: string }> {
    return this.notifications.testEndpoint(tenant, id);
  }

  @Get(':id/deliveries')
  @Requires('read')
  @ApiOperation({ summary: "The endpoint's delivery log, newest first" })
  @ApiOkResponse({
    description:
      '{ items: [{ id, notificationId, kind, status, attempts, lastStatusCode, lastError, nextAttemptAt, createdAt, deliveredAt }] }',
  })
  @ApiErrors(400, 401, 403, 404, 503)
  deliveries(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', ID) id: string,
    @Query() query: ListDeliveriesQuery,
  ): Promise<{ items: DeliveryView[] }> {
    return this.notifications.deliveries(tenant, id, query);
  }
}
