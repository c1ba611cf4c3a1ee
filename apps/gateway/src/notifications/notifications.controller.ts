import { Body, Controller, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ListNotificationsQuery,
  MarkNotificationsReadBody,
  type NotificationListView,
  type NotificationSettingsView,
  UpdateNotificationSettingsBody,
} from '@smartship/contracts';

import { CurrentTenant, Requires } from '../access/access.decorators';
import type { TenantPrincipal } from '../access/principal';
import { ApiErrors } from '../docs/api-errors';
import { NotificationsGatewayService } from './notifications.service';

/** The console's notification list and the tenant's notification settings. */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/v1')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsGatewayService) {}

  @Get('notifications')
  @Requires('read')
  @ApiOperation({
    summary: "The tenant's notifications, newest first",
    description:
      'One per alert accepted (the same alert again inside the window only raises suppressedRepeats). `unread=true` for unread ones; page with `nextCursor`.',
  })
  @ApiOkResponse({ description: '{ items: Notification[], unreadCount, nextCursor }' })
  @ApiErrors(400, 401, 403, 503)
  list(
    @CurrentTenant() tenant: TenantPrincipal,
    @Query() query: ListNotificationsQuery,
  ): Promise<NotificationListView> {
    return this.notifications.list(tenant, query);
  }

  @Post('notifications/read')
  @Requires('read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark notifications read: `ids` (1–500) or `all: true`' })
  @ApiOkResponse({ description: '{ unreadCount }' })
  @ApiErrors(400, 401, 403, 413, 415, 503)
  markRead(
    @CurrentTenant() tenant: TenantPrincipal,
    @Body() body: MarkNotificationsReadBody,
  ): Promise<{ unreadCount: number }> {
    return this.notifications.markRead(tenant, body);
  }

  @Get('notification-settings')
  @Requires('read')
  @ApiOperation({
    summary: 'Language, repeat window, digest hour, recipients and webhook endpoints',
  })
  @ApiOkResponse({
    description: '{ language, windowMinutes, digestHourJst, recipients, endpoints }',
  })
  @ApiErrors(401, 403, 503)
  settings(@CurrentTenant() tenant: TenantPrincipal): Promise<NotificationSettingsView> {
    return this.notifications.settings(tenant);
  }

  @Put('notification-settings')
  @Requires('shops.settings')
  @ApiOperation({
    summary:
      'Change the language (ko, ja, en), the repeat window (5–10080 min) or the digest hour (0–23 JST)',
  })
  @ApiOkResponse({ description: 'The settings, as GET answers them.' })
  @ApiErrors(400, 401, 403, 413, 415, 503)
  updateSettings(
    @CurrentTenant() tenant: TenantPrincipal,
    @Body() body: UpdateNotificationSettingsBody,
  ): Promise<NotificationSettingsView> {
    return this.notifications.updateSettings(tenant, body);
  }
}
